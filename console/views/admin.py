"""For admins: staff accounts (add, reset a password, change a role, remove) and the access log."""

from flask import Blueprint, abort, g, redirect, render_template, request, url_for

from console.stores import stores
from console.users import ROLES
from console.views.auth import admin_required

bp = Blueprint("admin", __name__, url_prefix="/admin")
ACCESS_LOG_PAGE = 200


@bp.get("/users")
@admin_required
def users():
    """Every account, and the form to add one or reset one."""
    return render_template("admin_users.html", accounts=stores().users.accounts(), roles=ROLES, error=None)


@bp.post("/users")
@admin_required
def save_user():
    """Add an account, or set an existing one's password and role (its sessions end)."""
    try:
        stores().users.create(request.form.get("username", ""), request.form.get("password", ""),
                              request.form.get("role") or None)
    except ValueError as error:
        return render_template("admin_users.html", accounts=stores().users.accounts(), roles=ROLES,
                               error=str(error)), 400
    return redirect(url_for("admin.users"))


@bp.post("/users/<username>/remove")
@admin_required
def remove_user(username):
    """Remove an account (not one's own: an admin cannot lock everyone out by mistake)."""
    if username == g.staff:
        abort(400)
    if not stores().users.remove(username):
        abort(404)
    return redirect(url_for("admin.users"))


@bp.get("/access-log")
@admin_required
def access_log():
    """Who opened which transcript or export, and when; newest first."""
    page = max(1, min(request.args.get("page", 1, type=int) or 1, 10_000))
    rows = stores().users.accesses(limit=ACCESS_LOG_PAGE, offset=(page - 1) * ACCESS_LOG_PAGE)
    return render_template("access_log.html", rows=rows, page=page, more=len(rows) == ACCESS_LOG_PAGE)
