"""The conversation list (filters, paging, CSV export) and each conversation's transcript."""

from urllib.parse import urlencode

from flask import Blueprint, abort, g, render_template, request

from clinic.conversations import FLAGS, ConversationFilter, page_count
from clinic.knowledge import source_title
from console.stores import stores
from console.views.auth import login_required
from console.views.downloads import csv_download

bp = Blueprint("conversations", __name__)


@bp.app_template_filter()
def page_query(args, page: int) -> str:
    """The current query string with another page number."""
    return urlencode({**{k: v for k, v in args.items() if k != "page"}, "page": page})


@bp.get("/")
@login_required
def index():
    """Conversations, newest first, one page of them."""
    reader = stores().conversations
    where = ConversationFilter.from_args(request.args)
    total = reader.count(where)
    return render_template("conversations.html", rows=reader.list(where), total=total, where=where, flags=FLAGS,
                           intents=reader.intents(), pages=page_count(total), args=request.args)


@bp.get("/conversations/<path:sender_id>")
@login_required
def transcript(sender_id):
    """Visitor and bot turns, and the follow-ups the conversation produced."""
    turns = stores().conversations.transcript(sender_id)
    if not turns:
        abort(404)
    stores().users.record_access(g.staff, "opened transcript", sender_id)
    return render_template("transcript.html", sender_id=sender_id, turns=turns, source_title=source_title,
                           followups=stores().followups.for_conversation(sender_id))


@bp.get("/export/conversations.csv")
@login_required
def export():
    """Every conversation the filters match, as CSV."""
    rows = stores().conversations.all_matching(ConversationFilter.from_args(request.args))
    stores().users.record_access(g.staff, "exported conversations.csv", request.query_string.decode(errors="replace"))
    return csv_download(
        "conversations.csv", ["conversation_id", "started_utc", "channel", "visitor_messages", "intents", "flags"],
        ([r.sender_id, r.started.isoformat(), r.channel, r.visitor_messages, " ".join(r.intents), " ".join(r.flags)]
         for r in rows),
    )
