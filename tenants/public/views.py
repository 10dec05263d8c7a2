"""A trust's public home page."""

from __future__ import annotations

from flask import Blueprint, render_template

from peerpath.tenancy import current_tenant

bp = Blueprint("public", __name__, template_folder="templates")


@bp.get("/")
def home():
    return render_template("public/home.html", tenant=current_tenant())
