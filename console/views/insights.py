"""Insights over the last 30 days: conversations and leads per day, top topics, fallback rate."""

from datetime import datetime, timedelta, timezone

from flask import Blueprint, render_template

from clinic.followups.store import LEAD
from console.stores import stores
from console.views.auth import login_required

bp = Blueprint("insights", __name__)
DAYS = 30


@bp.get("/insights")
@login_required
def index():
    """The charts."""
    since = datetime.now(timezone.utc) - timedelta(days=DAYS)
    return render_template("insights.html", figures=stores().conversations.insights(since),
                           leads_per_day=stores().followups.per_day(LEAD, since))
