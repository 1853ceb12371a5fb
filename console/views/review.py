"""The review inbox: staff label messages the model was unsure about; the labels export as NLU data."""

from flask import Blueprint, Response, abort, g, redirect, render_template, request, url_for

from console.reviews import known_intents
from console.stores import stores
from console.views.auth import login_required

bp = Blueprint("review", __name__)


@bp.get("/review")
@login_required
def inbox():
    """Messages to review, each with the intent picker."""
    return render_template("review.html", rows=stores().conversations.review_candidates(),
                           labels=stores().reviews.labels(), intents=known_intents())


@bp.post("/review/<int:event_id>")
@login_required
def label(event_id):
    """Record the right intent for one listed message (an unknown or empty choice is refused)."""
    candidate = stores().conversations.review_candidate(event_id)
    if candidate is None:
        abort(404)
    try:
        stores().reviews.label(event_id, candidate["sender_id"], candidate["text"], request.form.get("intent", ""),
                               g.staff)
    except ValueError:
        abort(400)
    return redirect(url_for("review.inbox"))


@bp.get("/review/export.yml")
@login_required
def export():
    """Every reviewed message as Rasa NLU training data."""
    stores().users.record_access(g.staff, "exported reviewed_nlu.yml", "")
    return Response(stores().reviews.export_yaml(), mimetype="text/yaml",
                    headers={"Content-Disposition": "attachment; filename=reviewed_nlu.yml"})
