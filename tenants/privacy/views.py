"""The public privacy notice (linked before the EOI form) and the lead's editing page.

Applications link to it before the EOI form with
`url_for("privacy.notice", next=url_for("applications.start"))`: the page then ends with a
"Continue" button to `next` (a path inside the same trust only), and
`service.current_version(session)` is the version to store with the application.
"""

from __future__ import annotations

from flask import Blueprint, redirect, render_template, request, url_for
from flask_login import current_user

from peerpath.extensions import db
from peerpath.forms import load_form
from peerpath.tenancy import current_tenant
from tenants.coordinators.auth import coordinator_required
from tenants.privacy import service
from tenants.privacy.schemas import NoticeSchema

bp = Blueprint("privacy", __name__, template_folder="templates")


@bp.app_context_processor
def privacy_link():
    """The layout's footer links to the trust's notice."""
    return {"privacy_notice_url": lambda tenant: url_for("privacy.notice",
                                                         trust_slug=tenant.slug)}


def _same_trust_path(target: str | None) -> str | None:
    prefix = f"/trusts/{current_tenant().slug}/"
    if target and target.startswith(prefix) and "//" not in target and "\\" not in target:
        return target
    return None


@bp.get("/privacy")
def notice():
    current = service.current_notice(db.session)
    return render_template("privacy/notice.html", tenant=current_tenant(), notice=current,
                           body=service.render(current.body) if current else None,
                           next_url=_same_trust_path(request.args.get("next")))


@bp.route("/coordinator/privacy-notice", methods=["GET", "POST"])
@coordinator_required("privacy:write")
def edit():
    current = service.current_notice(db.session)
    values, errors = {"body": current.body if current else ""}, {}
    if request.method == "POST":
        values, errors = load_form(NoticeSchema(), request.form)
        if not errors:
            service.publish(db.session, values["body"], actor=current_user.get_id())
            db.session.commit()
            return redirect(url_for("privacy.edit", published=1))
    return render_template("privacy/edit.html", tenant=current_tenant(), values=values,
                           errors=errors, versions=service.versions(db.session),
                           published=request.args.get("published") == "1"), \
        (400 if errors else 200)
