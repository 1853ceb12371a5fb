"""The console's Flask app: login, conversations, transcripts, CSV export."""

import csv
import io
from datetime import datetime, timedelta, timezone
from functools import wraps
from typing import Optional
from urllib.parse import urlencode

from flask import Flask, Response, abort, g, redirect, render_template, request, session, url_for
from flask_wtf.csrf import CSRFProtect

from clinic.followups.store import KINDS, STATUSES, FollowupStore
from clinic.conversations import FLAGS, PAGE_SIZE, ConversationFilter, ConversationReader
from console.reviews import ReviewStore, known_intents
from console.settings import ConsoleSettings, load_console_settings
from console.users import UserStore

csrf = CSRFProtect()


def login_required(view):
    """Staff only: HTML requests go to the login page, anything else gets 401."""

    @wraps(view)
    def wrapped(*args, **kwargs):
        if not session.get("staff"):
            if request.path.endswith((".csv", ".json", ".yml")):
                return Response("Login required\n", status=401, mimetype="text/plain")
            return redirect(url_for("login", next=request.path))
        g.staff = session["staff"]
        return view(*args, **kwargs)

    return wrapped


def _date(value: Optional[str]) -> Optional[datetime]:
    try:
        return datetime.strptime(value, "%Y-%m-%d").replace(tzinfo=timezone.utc) if value else None
    except ValueError:
        return None


def filter_from(args) -> ConversationFilter:
    """The list's filters from the query string (bad values are ignored, never an error)."""
    date_to = _date(args.get("to"))
    try:
        page = max(int(args.get("page", 1)), 1)
    except ValueError:
        page = 1
    return ConversationFilter(
        date_from=_date(args.get("from")),
        date_to=date_to + timedelta(days=1) if date_to else None,
        intent=args.get("intent") or None,
        flag=args.get("flag") if args.get("flag") in FLAGS else None,
        search=(args.get("q") or "").strip()[:200] or None,
        page=page,
    )


def spreadsheet_safe(value) -> str:
    """A cell a spreadsheet will not run as a formula (visitors' text can start with = + - @)."""
    text = "" if value is None else str(value)
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


def csv_download(filename: str, header: list, rows: list) -> Response:
    """A CSV attachment."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(header)
    writer.writerows([[spreadsheet_safe(cell) for cell in row] for row in rows])
    return Response(out.getvalue(), mimetype="text/csv",
                    headers={"Content-Disposition": f"attachment; filename={filename}"})


def page_query(args, page: int) -> str:
    """The current query string with another page number."""
    return urlencode({**{k: v for k, v in args.items() if k != "page"}, "page": page})


def create_app(settings: Optional[ConsoleSettings] = None) -> Flask:
    """The app factory."""
    settings = settings or load_console_settings()
    app = Flask(__name__)
    app.config.update(
        SECRET_KEY=settings.secret_key,
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Strict",
        SESSION_COOKIE_SECURE=settings.secure_cookies,
        PERMANENT_SESSION_LIFETIME=timedelta(hours=12),
        WTF_CSRF_TIME_LIMIT=None,
    )
    csrf.init_app(app)
    app.add_template_filter(page_query)
    users = UserStore(settings.console_db_url)
    reader = ConversationReader(settings.tracker_db_url)
    followups = FollowupStore(settings.followup_db_url)
    reviews = ReviewStore(settings.console_db_url)

    @app.route("/login", methods=["GET", "POST"])
    def login():
        error = None
        if request.method == "POST":
            username = request.form.get("username", "")
            if users.locked(username):
                error = "Too many failed attempts: this account is locked for 15 minutes."
            elif users.check(username, request.form.get("password", "")):
                session.clear()
                session["staff"] = username
                session.permanent = True
                target = request.args.get("next", "")
                return redirect(target if target.startswith("/") and not target.startswith("//") else "/")
            else:
                error = "Wrong username or password."
        return render_template("login.html", error=error), (401 if error else 200)

    @app.post("/logout")
    @login_required
    def logout():
        session.clear()
        return redirect(url_for("login"))

    @app.get("/")
    @login_required
    def conversations():
        where = filter_from(request.args)
        total = reader.count(where)
        return render_template(
            "conversations.html", rows=reader.list(where), total=total, where=where, flags=FLAGS,
            intents=reader.intents(), pages=max((total + PAGE_SIZE - 1) // PAGE_SIZE, 1), args=request.args,
        )

    @app.get("/conversations/<path:sender_id>")
    @login_required
    def transcript(sender_id):
        turns = reader.transcript(sender_id)
        if not turns:
            abort(404)
        return render_template("transcript.html", sender_id=sender_id, turns=turns,
                               followups=followups.for_conversation(sender_id))

    @app.get("/export/conversations.csv")
    @login_required
    def export_conversations():
        where = filter_from(request.args)
        where.page, rows = 1, []
        while True:
            page = reader.list(where)
            rows += [[r.sender_id, r.started.isoformat(), r.channel, r.visitor_messages, " ".join(r.intents),
                      " ".join(r.flags)] for r in page]
            if len(page) < PAGE_SIZE:
                break
            where.page += 1
        return csv_download("conversations.csv", ["conversation_id", "started_utc", "channel", "visitor_messages",
                                                  "intents", "flags"], rows)

    @app.get("/followups")
    @login_required
    def followup_list():
        kind = request.args.get("kind") if request.args.get("kind") in KINDS else None
        return render_template("followups.html", rows=followups.for_staff(kind=kind), kind=kind, kinds=KINDS,
                               statuses=STATUSES)

    @app.post("/followups/<int:followup_id>/status")
    @login_required
    def followup_status(followup_id):
        status = request.form.get("status", "")
        if status not in STATUSES:
            abort(400)
        if not followups.set_status(followup_id, status, g.staff):
            abort(404)
        return redirect(request.form.get("back") if request.form.get("back", "").startswith("/followups")
                        else url_for("followup_list"))

    @app.get("/export/leads.csv")
    @login_required
    def export_leads():
        where = filter_from(request.args)
        leads = followups.for_staff(kind="lead", created_from=where.date_from, created_to=where.date_to)
        rows = [[f.id, f.created_at.isoformat(), f.conversation_id, f.name, f.phone, f.email, f.preferred_time,
                 f.treatment, f.status, f.delivery_status] for f in leads]
        return csv_download("leads.csv", ["id", "created_utc", "conversation_id", "name", "phone", "email",
                                          "preferred_time", "treatment", "status", "notification"], rows)

    @app.get("/review")
    @login_required
    def review_inbox():
        return render_template("review.html", rows=reader.review_candidates(), labels=reviews.labels(),
                               intents=known_intents())

    @app.post("/review/<int:event_id>")
    @login_required
    def review_label(event_id):
        candidate = reader.review_candidate(event_id)
        if candidate is None:
            abort(404)
        try:
            reviews.label(event_id, candidate["sender_id"], candidate["text"], request.form.get("intent", ""), g.staff)
        except ValueError:
            abort(400)
        return redirect(url_for("review_inbox"))

    @app.get("/review/export.yml")
    @login_required
    def review_export():
        return Response(reviews.export_yaml(), mimetype="text/yaml",
                        headers={"Content-Disposition": "attachment; filename=reviewed_nlu.yml"})

    @app.get("/insights")
    @login_required
    def insights():
        since = datetime.now(timezone.utc) - timedelta(days=30)
        figures = reader.insights(since)
        leads: dict = {}
        for lead in followups.for_staff(kind="lead", created_from=since):
            day = lead.created_at.strftime("%Y-%m-%d")
            leads[day] = leads.get(day, 0) + 1
        return render_template("insights.html", figures=figures, leads_per_day=sorted(leads.items()))

    @app.after_request
    def security_headers(response):
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        response.headers.setdefault("X-Frame-Options", "DENY")
        response.headers.setdefault("Content-Security-Policy", "default-src 'self'; style-src 'self' 'unsafe-inline'")
        response.headers.setdefault("Referrer-Policy", "same-origin")
        return response

    return app
