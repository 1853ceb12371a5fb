"""Leads, handoff requests and urgent alerts: the list, their status, the leads CSV."""

from flask import Blueprint, abort, g, redirect, render_template, request, url_for

from clinic.conversations import PAGE_SIZE, ConversationFilter, page_count
from clinic.followups.store import KINDS, LEAD, STATUSES
from console.stores import stores
from console.views.auth import login_required
from console.views.downloads import csv_download

bp = Blueprint("followups", __name__)


@bp.get("/followups")
@login_required
def index():
    """Follow-ups (of one kind), open urgent alerts pinned on top; 50 a page, as conversations are."""
    kind = request.args.get("kind") if request.args.get("kind") in KINDS else None
    store = stores().followups
    pages = page_count(store.count(kind))
    page = min(max(request.args.get("page", 1, type=int) or 1, 1), pages)
    rows = store.for_staff(kind=kind, limit=PAGE_SIZE, offset=(page - 1) * PAGE_SIZE)
    return render_template("followups.html", rows=rows, kind=kind, kinds=KINDS, statuses=STATUSES, page=page,
                           pages=pages, args=request.args)


@bp.post("/followups/<int:followup_id>/status")
@login_required
def status(followup_id):
    """Move a follow-up on (contacted, closed); who and when are recorded."""
    new_status = request.form.get("status", "")
    if new_status not in STATUSES:
        abort(400)
    if not stores().followups.set_status(followup_id, new_status, g.staff):
        abort(404)
    back = request.form.get("back", "")
    return redirect(back if back.startswith("/followups") else url_for("followups.index"))


@bp.get("/export/leads.csv")
@login_required
def export_leads():
    """Leads created in the date range, as CSV."""
    where = ConversationFilter.from_args(request.args)
    stores().users.record_access(g.staff, "exported leads.csv", request.query_string.decode(errors="replace"))
    leads = stores().followups.for_staff(kind=LEAD, created_from=where.date_from, created_to=where.date_to)
    return csv_download(
        "leads.csv", ["id", "created_utc", "conversation_id", "name", "phone", "email", "preferred_time", "treatment",
                      "status", "notification"],
        ([f.id, f.created_at.isoformat(), f.conversation_id, f.name, f.phone, f.email, f.preferred_time, f.treatment,
          f.status, f.delivery_status] for f in leads),
    )
