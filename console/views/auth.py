"""Logging in and out, and the `login_required` decorator every other page uses."""

from functools import wraps

from flask import Blueprint, Response, g, redirect, render_template, request, session, url_for

from console.stores import stores

bp = Blueprint("auth", __name__)


def login_required(view):
    """Staff only: HTML requests go to the login page, anything else gets 401."""

    @wraps(view)
    def wrapped(*args, **kwargs):
        if not session.get("staff"):
            if request.path.endswith((".csv", ".json", ".yml")):
                return Response("Login required\n", status=401, mimetype="text/plain")
            return redirect(url_for("auth.login", next=request.path))
        g.staff = session["staff"]
        return view(*args, **kwargs)

    return wrapped


def _on_this_site(target: str) -> bool:
    return target.startswith("/") and not target.startswith("//")


@bp.route("/login", methods=["GET", "POST"])
def login():
    """The login form; a right password sends staff on to the page they asked for."""
    error = None
    if request.method == "POST":
        users = stores().users
        username = request.form.get("username", "")
        if users.locked(username):
            error = "Too many failed attempts: this account is locked for 15 minutes."
        elif users.check(username, request.form.get("password", "")):
            session.clear()
            session["staff"] = username
            session.permanent = True
            target = request.args.get("next", "")
            return redirect(target if _on_this_site(target) else "/")
        else:
            error = "Wrong username or password."
    return render_template("login.html", error=error), (401 if error else 200)


@bp.post("/logout")
@login_required
def logout():
    """Log out (a POST, with its CSRF token)."""
    session.clear()
    return redirect(url_for("auth.login"))
