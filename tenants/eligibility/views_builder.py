"""Coordinator pages of the question builder: pages, branches, exit pages, draft and live.

Added to the eligibility settings blueprint (``views.bp``). Every change is one POST that
edits the draft through ``builder`` and redirects back (POST/redirect/GET); a refused change
shows an error summary on the same page and leaves the saved draft as it was.
"""

from __future__ import annotations

from flask import abort, redirect, request, url_for
from flask_login import current_user
from sqlalchemy import select

from peerpath.extensions import db
from peerpath.forms import load_form
from peerpath.tenancy import current_tenant
from tenants.cohorts.forms import render_page
from tenants.cohorts.models import Cohort
from tenants.coordinators.auth import coordinator_required
from tenants.eligibility import builder, service
from tenants.eligibility import builder_rules as builder_rules_service
from tenants.eligibility.builder_forms import PageSchema
from tenants.eligibility.describe import describe_rule_set
from tenants.eligibility.routing import unreachable_warnings
from tenants.eligibility.views import bp
from tenants.privacy.service import current_version as privacy_version
from tenants.trustpage.service import page as trust_page

QUESTION_KINDS = [(kind, words) for kind, words in builder.TYPE_WORDS.items()
                  if kind not in ("guidance", "exit")]


def draft_or_404():
    found = builder.draft(db.session)
    if found is None:
        abort(404, "There is no draft")
    return found


def _page_or_404(pages: list, key: str) -> dict:
    page = next((p for p in pages if p["key"] == key), None)
    if page is None:
        abort(404, "No such page")
    return page


def checklist() -> list[dict]:
    """What a trust needs in place before a form goes live (the go-live checklist)."""
    tenant = current_tenant()
    has_cohort = db.session.scalar(select(Cohort.id).limit(1)) is not None
    next_steps = trust_page(db.session).after_applying  # the trust page's block
    return [
        {"label": "Publish a privacy notice", "done": privacy_version(db.session) is not None},
        {"label": "Give a contact email address or phone number",
         "done": bool(tenant.contact_email or tenant.contact_phone)},
        {"label": "Say what happens after someone applies",
         "done": bool((next_steps or "").strip())},
        {"label": "Add at least one cohort", "done": has_cohort},
    ]


def _overview(errors=None):
    draft = builder.draft(db.session)
    pages = draft.questions if draft else []
    return render_page("eligibility/builder.html", draft=draft, pages=pages,
                       live=service.published_version(db.session), errors=errors or {},
                       warnings=unreachable_warnings(pages), checklist=checklist(),
                       type_words=builder.TYPE_WORDS)


@bp.get("/builder")
@coordinator_required("settings:read")
def builder_overview():
    return _overview()


def _coordinator_id() -> int | None:
    return getattr(current_user, "coordinator_id", None)


@bp.post("/builder/start")
@coordinator_required("settings:write")
def builder_start():
    builder.start_draft(db.session, created_by_id=_coordinator_id())
    db.session.commit()
    return redirect(url_for(".builder_overview"))


def _change(pages: list, rule_set: dict | None = None):
    """Keep the changed pages in the draft; on refusal show the overview with the reason."""
    draft = draft_or_404()
    try:
        builder.save_draft(db.session, draft, pages, draft.rule_set if rule_set is None
                           else rule_set)
    except builder.BuilderRefused as refused:
        db.session.rollback()
        return _overview(refused.problems)
    db.session.commit()
    return redirect(url_for(".builder_overview"))


@bp.post("/builder/pages/<key>/move")
@coordinator_required("settings:write")
def builder_move(key: str):
    pages = draft_or_404().questions
    _page_or_404(pages, key)
    return _change(builder.moved(pages, key, -1 if request.form.get("to") == "up" else 1))


@bp.post("/builder/pages/<key>/remove")
@coordinator_required("settings:write")
def builder_remove(key: str):
    pages = draft_or_404().questions
    _page_or_404(pages, key)
    return _change(builder.without(pages, key))


@bp.route("/builder/pages/new", methods=["GET", "POST"])
@bp.route("/builder/pages/<key>", methods=["GET", "POST"])
@coordinator_required("settings:write")
def builder_page(key: str | None = None):
    draft = draft_or_404()
    pages = draft.questions
    editing = _page_or_404(pages, key) if key else None
    kind = request.args.get("kind", "question")
    blank = {"type": kind if kind in ("guidance", "exit") else "", "required": "yes"}
    values, errors = (_form_values(editing) if editing else blank), {}
    if request.method == "POST":
        values, errors = load_form(PageSchema(), request.form)
        if not errors:
            values["existing"] = {o["value"]: request.form.get(f"option-{o['value']}", "")
                                  for o in builder.own_options(editing)}
            values["removed"] = request.form.getlist("remove")
            try:
                page = builder.page_from_form(values, pages, editing, draft.rule_set)
                builder.save_draft(db.session, draft, builder.with_page(pages, page),
                                   draft.rule_set)
            except builder.BuilderRefused as refused:
                db.session.rollback()
                errors = refused.problems
            else:
                db.session.commit()
                return redirect(url_for(".builder_overview"))
        values = dict(request.form)
    return render_page("eligibility/builder_page.html", values=values, errors=errors,
                       editing=editing, kinds=QUESTION_KINDS,
                       existing=builder.own_options(editing),
                       removed=request.form.getlist("remove"))


def _form_values(page: dict) -> dict:
    values = {"type": page["type"], "label": page["label"], "hint": page.get("hint", ""),
              "body": page.get("body", ""), "required": "yes" if page.get("required", True)
              else "no"}
    options = builder.own_options(page)
    values.update({f"option-{o['value']}": o["label"] for o in options})
    values["none_of_these"] = "yes" if len(options) < len(page.get("options", ())) else ""
    return values


@bp.route("/builder/pages/<key>/routes", methods=["GET", "POST"])
@coordinator_required("settings:write")
def builder_routes(key: str):
    draft = draft_or_404()
    page = _page_or_404(draft.questions, key)
    if page["type"] != "single_choice":
        abort(404, "Only one-choice questions can branch")
    if request.method == "POST":
        routes = {o["value"]: request.form.get(f"route-{o['value']}", "")
                  for o in page["options"]}
        return _change(builder.with_routes(draft.questions, key, routes))
    return render_page("eligibility/builder_routes.html", page=page,
                       targets=builder.route_targets(draft.questions, key),
                       values={f"route-{v}": t for v, t in (page.get("routes") or {}).items()})


@bp.post("/builder/live")
@coordinator_required("settings:write")
def builder_live():
    draft = draft_or_404()
    try:
        builder.make_live(db.session, draft, checklist())
    except builder.BuilderRefused as refused:
        db.session.rollback()
        return _overview(refused.problems)
    db.session.commit()
    return redirect(url_for(".version", version_id=draft.id))


@bp.post("/builder/discard")
@coordinator_required("settings:write")
def builder_discard():
    builder.discard(db.session, draft_or_404())
    db.session.commit()
    return redirect(url_for(".builder_overview"))


@bp.route("/builder/rules", methods=["GET", "POST"])
@coordinator_required("settings:write")
def builder_rules():
    """The rules in plain words; choosing a question (GET ?question=) opens the rule form."""
    draft = draft_or_404()
    pages = draft.questions
    questions = builder_rules_service.rule_questions(pages)
    question = next((q for q in questions if q["key"] == request.values.get("question")), None)
    values, errors = dict(request.form), {}
    if request.method == "POST" and question is None:
        errors = {"question": "Choose a question a rule can check: a yes or no, choice, short "
                              "answer, date or number question"}
    elif request.method == "POST":
        try:
            when = builder_rules_service.condition(
                question, request.form.get("test", ""), request.form.getlist("chosen"),
                request.form.get("value", ""))
            rule_set = builder_rules_service.with_rule(
                draft.rule_set, when, reason=request.form.get("reason", ""),
                applicant_reason=request.form.get("applicant_reason"),
                join=request.form.get("join", ""))
            builder.save_draft(db.session, draft, pages, rule_set)
        except builder.BuilderRefused as refused:
            db.session.rollback()
            errors = refused.problems
        else:
            db.session.commit()
            return redirect(url_for(".builder_rules"))
    return render_page("eligibility/builder_rules.html", questions=questions, question=question,
                       tests=builder_rules_service.tests_for(question) if question else [],
                       rules=describe_rule_set(pages, draft.rule_set), values=values,
                       errors=errors)


@bp.post("/builder/rules/<key>/remove")
@coordinator_required("settings:write")
def builder_remove_rule(key: str):
    draft = draft_or_404()
    return _change(draft.questions, builder_rules_service.without_rule(draft.rule_set, key))
