"""Logging in and out, and the `login_required` / `admin_required` decorators every other page uses.

A session is valid while its account exists with the session version it was issued under: a
password change or the account's removal ends every session of it at the next request.
"""

import unicodedata
from functools import wraps
from urllib.parse import urlsplit

from flask import Blueprint, Response, abort, current_app, g, redirect, render_template, request, session, url_for

from clinic.ratelimit import Rate, TokenBuckets
from console.stores import stores
from console.users import ADMIN, MAX_USERNAME_LENGTH

bp = Blueprint("auth", __name__)
# Login attempts per client address: 10 at once, then one every 6 seconds.
LOGIN_RATE = Rate(10, 60)
LOGIN_LIMITS = "clinic_console_login_limits"


def login_required(view):
    """Staff only: HTML requests go to the login page, anything else gets 401."""

    @wraps(view)
    def wrapped(*args, **kwargs):
        account = stores().users.account(session["staff"]) if session.get("staff") else None
        if account is None or account.session_version != session.get("version"):
            session.clear()
            if request.path.endswith((".csv", ".json", ".yml")):
                return Response("Login required\n", status=401, mimetype="text/plain")
            return redirect(url_for("auth.login", next=request.path))
        g.staff, g.role = account.username, account.role
        return view(*args, **kwargs)

    return wrapped


def admin_required(view):
    """Admins only (after `login_required`): staff get 403."""

    @login_required
    @wraps(view)
    def wrapped(*args, **kwargs):
        if g.role != ADMIN:
            abort(403)
        return view(*args, **kwargs)

    return wrapped


def local_path(target: str) -> str:
    r"""`target` as a path on this site, or "/" for anything a browser could read as another site.

    Browsers drop tabs and newlines anywhere in a URL and read backslashes as slashes, so
    `/%09/evil.example` and `/\evil.example` are checked (and followed) as normalised.
    """
    normal = "".join(c for c in target if unicodedata.category(c)[0] != "C").strip().replace("\\", "/")
    parts = urlsplit(normal)
    if normal.startswith("/") and not normal.startswith("//") and not parts.scheme and not parts.netloc:
        return normal
    return "/"


def _login_limits() -> TokenBuckets:
    return current_app.extensions.setdefault(LOGIN_LIMITS, TokenBuckets(LOGIN_RATE))


@bp.route("/login", methods=["GET", "POST"])
def login():
    """The login form; a right password sends staff on to the page they asked for."""
    error, status = None, 200
    if request.method == "POST":
        users = stores().users
        username = request.form.get("username", "")
        if not _login_limits().allow(request.remote_addr or ""):
            error, status = "Too many login attempts from this address: please wait a minute.", 429
        elif len(username) > MAX_USERNAME_LENGTH:
            error, status = "Wrong username or password.", 401
        elif users.locked(username):
            error, status = "Too many failed attempts: this account is locked for 15 minutes.", 401
        elif users.check(username, request.form.get("password", "")):
            session.clear()
            session["staff"] = username
            session["version"] = users.account(username).session_version
            session.permanent = True
            return redirect(local_path(request.args.get("next", "")))
        else:
            error, status = "Wrong username or password.", 401
    return render_template("login.html", error=error), status


@bp.post("/logout")
@login_required
def logout():
    """Log out (a POST, with its CSRF token)."""
    session.clear()
    return redirect(url_for("auth.login"))
