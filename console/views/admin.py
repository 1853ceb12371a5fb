"""For admins: staff accounts (add, reset a password, change a role, remove), the access log, erasing a visitor."""

from flask import Blueprint, abort, g, redirect, render_template, request, url_for

from clinic.settings import get_settings
from console.erasure import erase_visitor
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


ERASE_FIELDS = ("conversation", "phone", "email")


@bp.route("/erase", methods=["GET", "POST"])
@admin_required
def erase():
    """Erase everything about one visitor (GDPR Art. 17): find them, confirm, erase, report; access-logged.

    The first POST only shows what would be removed; the POST with `confirm` removes it.
    """
    visitor = {name: request.form.get(name, "").strip()[:320] for name in ERASE_FIELDS}
    if request.method == "GET":
        return render_template("admin_erase.html", visitor=visitor, found=None, erased=None, error=None)
    confirmed = request.form.get("confirm") == "yes"
    try:
        counts = erase_visitor(stores().settings, **visitor,
                               phone_region=get_settings().clinic.phone_region, dry_run=not confirmed)
    except ValueError as error:
        return render_template("admin_erase.html", visitor=visitor, found=None, erased=None, error=str(error)), 400
    if not confirmed:
        return render_template("admin_erase.html", visitor=visitor, found=counts, erased=None, error=None)
    # The log names which kinds of identifier were given and the conversations erased, never the phone or e-mail.
    given = ", ".join(name for name in ERASE_FIELDS if visitor[name])
    stores().users.record_access(g.staff, "erased a visitor",
                                 f"by {given}: {' '.join(counts['conversation ids']) or 'nothing found'}")
    return render_template("admin_erase.html", visitor={}, found=None, erased=counts, error=None)
