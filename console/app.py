"""The console's Flask app factory.

Login, conversations and transcripts, follow-ups, the review inbox and insights: each a
blueprint in console/views/, over stores built once per app (console/stores.py).
"""

from datetime import timedelta
from typing import Optional

from flask import Flask, current_app
from flask_wtf.csrf import CSRFProtect

from clinic.followups.store import ALERT, HANDOFF, LEAD, STATUS_CLOSED, STATUS_NEW
from console.settings import ConsoleSettings, load_console_settings
from console.stores import EXTENSION, Stores
from console.views import BLUEPRINTS

csrf = CSRFProtect()
# The templates name follow-up kinds and statuses by the store's constants; each kind's tag colour.
TEMPLATE_GLOBALS = {"ALERT": ALERT, "STATUS_CLOSED": STATUS_CLOSED, "STATUS_NEW": STATUS_NEW,
                    "KIND_FLAGS": {ALERT: "adverse", HANDOFF: "human", LEAD: "lead"}}


def security_headers(response):
    """No sniffing, no framing, nothing loaded from elsewhere, nothing kept in a cache; HTTPS pinned when on."""
    # Every page and export may hold personal data: no browser or proxy may keep a copy.
    response.headers["Cache-Control"] = "no-store"
    if current_app.config["SESSION_COOKIE_SECURE"]:
        response.headers.setdefault("Strict-Transport-Security", "max-age=31536000; includeSubDomains")
    response.headers.setdefault("X-Content-Type-Options", "nosniff")
    response.headers.setdefault("X-Frame-Options", "DENY")
    response.headers.setdefault("Content-Security-Policy", "default-src 'self'; style-src 'self' 'unsafe-inline'")
    response.headers.setdefault("Referrer-Policy", "same-origin")
    return response


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
    app.jinja_env.globals.update(TEMPLATE_GLOBALS)
    app.extensions[EXTENSION] = Stores.from_settings(settings)
    for blueprint in BLUEPRINTS:
        app.register_blueprint(blueprint)
    app.after_request(security_headers)
    return app
