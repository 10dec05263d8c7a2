"""The workspace's navigation: the header's areas, the settings index and breadcrumbs.

Every link here is shown only to roles whose permission (tenants.coordinators.permissions)
lets them open its page, read from the page's own guard, so the navigation cannot offer a
page that would answer 403 and cannot hide one a role may use.

Areas that live inside a cohort (shortlisting, interviews, training, reports) have a small
"choose a cohort" page each, so a panel member, who may shortlist but not read the
cohort's dashboard, can still reach them by links.
"""

from __future__ import annotations

from dataclasses import dataclass

from flask import Blueprint, current_app, render_template, request, url_for
from flask_login import current_user
from markupsafe import escape

from peerpath.extensions import db
from peerpath.tenancy import current_tenant
from tenants.cohorts import service as cohorts
from tenants.coordinators.auth import coordinator_required, signed_in_coordinator
from tenants.coordinators.permissions import permits

bp = Blueprint("workspace_nav", __name__, template_folder="templates")


@dataclass(frozen=True)
class Link:
    text: str
    endpoint: str
    # Endpoints (or "blueprint." prefixes) whose pages belong to this area: the header marks
    # the area as the current one there.
    within: tuple[str, ...] = ()
    hint: str = ""


@dataclass(frozen=True)
class CohortArea:
    """An area whose pages are per cohort: its chooser lists the cohorts, linking here."""

    slug: str
    text: str
    permission: str
    cohort_endpoint: str
    hint: str


COHORT_AREAS = (
    CohortArea("shortlisting", "Shortlisting", "shortlisting:write", "shortlisting.overview",
               "Review each cohort's applications for the shortlist."),
    CohortArea("interviews", "Interviews", "interviews:read", "interviews.slots",
               "Interview slots and bookings for each cohort."),
    CohortArea("training", "Training", "training:read", "training.places",
               "Places, training registers and outcomes for each cohort."),
    # There is no reports section yet: the nearest page is each cohort's dashboard, with its
    # funnel chart and figures.
    CohortArea("reports", "Reports", "applications:read", "workspace.dashboard",
               "Each cohort's dashboard: the funnel, figures and the pipeline download."),
)

HEADER = (
    Link("Applications", "workspace.cohort_index",
         ("workspace.cohort_index", "workspace.applications", "workspace.application_page",
          "workspace.enter"), "Every cohort and its applications."),
    Link("EOIs to respond to", "eoi_responses.index", ("eoi_responses.index",),
         "Expressions of interest waiting for the team's response, the least time left "
         "first."),
    *(Link(area.text, f"workspace_nav.{area.slug}", (f"workspace_nav.{area.slug}",
                                                     area.cohort_endpoint), area.hint)
      for area in COHORT_AREAS[:3]),
    Link("Your interviews", "interviews.mine", ("interviews.mine", "interviews.interview"),
         "The interviews you sit on as a panel member."),
    Link("Outcomes and follow-ups", "training.follow_ups", ("training.follow_ups",
                                                             "training.follow_up_call"),
         "Follow-ups due with people who finished training."),
    Link("Posts", "posts.index", ("posts.",),
         "Teams, partners and posts, and matching people who finished training to them."),
    Link("Drop-ins", "infosession_settings.sessions", ("infosession_settings.",),
         "Drop-in information sessions and who booked them."),
    Link("Messages", "notifications.messages", ("notifications.messages",),
         "Every e-mail and text sent to applicants, and its delivery."),
    Link("Letters and calls", "letters.to_print", ("letters.",),
         "Letters to print and post, and calls to make, for people without e-mail."),
    Link("Reports", "reports.index", ("reports.", "workspace_nav.reports",
                                      "workspace.dashboard"),
         "The programme's funnel (by cohort, by how EOIs came and by where applicants "
         "heard), reasons by stage, outcomes, cohorts compared and equality monitoring."),
    Link("Settings", "cohort_settings.index",
         ("cohort_settings.", "eligibility_settings.", "reason_settings.",
          "condition_settings.",
          "deadline_settings.",
          "notifications.templates",
          "notifications.edit_template", "notification_settings.", "privacy.edit",
          "retention.", "subject_access.", "coordinator_team.", "api_tokens.",
          "trust_page_settings.")),
    Link("Audit", "audit.search", ("audit.",), "Who did what, and when."),
)

SETTINGS = (
    Link("Questions and eligibility rules", "eligibility_settings.versions",
         hint="What applicants are asked, and who can apply."),
    Link("Reasons for decisions", "reason_settings.reasons",
         hint="What the team chooses from when turning down an application, and what the "
              "applicant reads."),
    Link("Conditions before training", "condition_settings.conditions",
         hint="What must be in place before someone starts training (a DBS check, "
              "references, ...), and what the applicant reads while it is outstanding."),
    Link("Response times and reply-by dates", "deadline_settings.edit",
         hint="How soon the team responds to every EOI, and how long applicants have to "
              "reply to an invitation or an offer."),
    Link("Courses", "cohort_settings.courses", hint="The training courses you run."),
    Link("Cohorts and calendars", "cohort_settings.cohorts",
         hint="Each intake: its dates, places and calendar."),
    Link("Drop-in information sessions", "infosession_settings.sessions",
         hint="Sessions people can book before they apply."),
    Link("Message templates", "notifications.templates",
         hint="The wording of every e-mail and text."),
    Link("Email and text message providers", "notification_settings.providers",
         hint="How messages are sent."),
    Link("Public trust page", "trust_page_settings.edit_page",
         hint="What applicants read about the programme on your public page."),
    Link("Crisis lines", "trust_page_settings.crisis_lines",
         hint="Where applicants can get help now, linked from every applicant page."),
    Link("Stories of past trainees", "trust_page_settings.stories",
         hint="Stories shown on your page, with the trainee's consent."),
    Link("Privacy notice", "privacy.edit", hint="What applicants are told about their data."),
    Link("Retention", "retention.policy", hint="How long applicants' data is kept."),
    Link("Subject access requests", "subject_access.lookup",
         hint="Find everything held about a person, or erase it."),
    Link("Team", "coordinator_team.index", hint="Who has access, and their roles."),
    Link("API tokens", "api_tokens.index", hint="Tokens for other systems to use the API."),
)

# Breadcrumbs: each detail page's parent, up to the workspace home.
PARENTS = {
    "workspace.cohort_index": "coordinators.home",
    "workspace.dashboard": "workspace.cohort_index",
    "workspace.applications": "workspace.dashboard",
    "workspace.application_page": "workspace.applications",
    "workspace.enter": "workspace.applications",
    "shortlisting.overview": "workspace.dashboard",
    "shortlisting.review": "shortlisting.overview",
    "interviews.slots": "workspace.dashboard",
    "interviews.mine": "coordinators.home",
    "interviews.interview": "interviews.mine",
    "training.places": "workspace.dashboard",
    "training.register": "training.places",
    "training.follow_ups": "coordinators.home",
    "training.follow_up_call": "training.follow_ups",
    "posts.index": "coordinators.home",
    "posts.matching": "training.places",
    "reports.index": "coordinators.home",
    "cohort_settings.index": "coordinators.home",
    "cohort_settings.courses": "cohort_settings.index",
    "cohort_settings.course_form": "cohort_settings.courses",
    "cohort_settings.cohorts": "cohort_settings.index",
    "cohort_settings.cohort": "cohort_settings.cohorts",
    "cohort_settings.cohort_form": "cohort_settings.cohorts",
    "eligibility_settings.versions": "cohort_settings.index",
    "eligibility_settings.version": "eligibility_settings.versions",
    "eligibility_settings.new_version": "eligibility_settings.versions",
    "eligibility_settings.builder_overview": "eligibility_settings.versions",
    **{f"eligibility_settings.builder_{page}": "eligibility_settings.builder_overview"
       for page in ("page", "routes", "rules")},
    "infosession_settings.sessions": "cohort_settings.index",
    "infosession_settings.bookings": "infosession_settings.sessions",
    "infosession_settings.session_form": "infosession_settings.sessions",
    "notification_settings.providers": "cohort_settings.index",
    "trust_page_settings.edit_page": "cohort_settings.index",
    "trust_page_settings.crisis_lines": "cohort_settings.index",
    "trust_page_settings.stories": "cohort_settings.index",
    "reason_settings.reasons": "cohort_settings.index",
    "deadline_settings.edit": "cohort_settings.index",
    "deadline_settings.save": "cohort_settings.index",
    "eoi_responses.index": "coordinators.home",
    "reason_settings.new_reason": "reason_settings.reasons",
    "reason_settings.reword": "reason_settings.reasons",
    "condition_settings.conditions": "cohort_settings.index",
    "condition_settings.new_condition": "condition_settings.conditions",
    "condition_settings.reword": "condition_settings.conditions",
    **{f"workspace_nav.{area.slug}": "coordinators.home" for area in COHORT_AREAS},
}
CRUMB_TEXT = {
    "coordinators.home": "Workspace",
    "workspace.cohort_index": "Cohorts",
    "workspace.dashboard": "Cohort dashboard",
    "workspace.applications": "Applications",
    "shortlisting.overview": "Shortlisting",
    "interviews.mine": "Your interviews",
    "training.places": "Places and training",
    "training.follow_ups": "Follow-ups due",
    "posts.index": "Teams and posts",
    "reports.index": "Reports",
    "cohort_settings.index": "Settings",
    "cohort_settings.courses": "Courses",
    "cohort_settings.cohorts": "Cohorts and calendars",
    "eligibility_settings.versions": "Questions and eligibility rules",
    "eligibility_settings.builder_overview": "Form builder",
    "reason_settings.reasons": "Reasons for decisions",
    "condition_settings.conditions": "Conditions before training",
    "infosession_settings.sessions": "Drop-ins",
}


def may_open(endpoint: str) -> bool:
    """Whether the signed-in coordinator's role may open `endpoint` (its guard's permission)."""
    view = current_app.view_functions.get(endpoint)
    name = getattr(view, "permission", None)
    return name is not None and permits(current_user, name)


def visible(links) -> list[Link]:
    return [link for link in links if may_open(link.endpoint)]


def _is_within(link: Link, endpoint: str | None) -> bool:
    return bool(endpoint) and any(endpoint == place or (place.endswith(".") and
                                                        endpoint.startswith(place))
                                  for place in link.within)


def _url(endpoint: str) -> str:
    """The endpoint's URL, with the ids it needs taken from the current request."""
    rule = next(iter(current_app.url_map.iter_rules(endpoint)))
    values = {key: value for key, value in (request.view_args or {}).items()
              if key in rule.arguments and key != "trust_slug"}
    return url_for(endpoint, **values)


def breadcrumb_trail(endpoint: str | None) -> list[dict]:
    trail = []
    parent = PARENTS.get(endpoint or "")
    while parent:
        if may_open(parent):
            trail.insert(0, {"href": _url(parent), "text": CRUMB_TEXT.get(parent, "Back")})
        parent = PARENTS.get(parent)
    return trail


@bp.app_context_processor
def workspace_navigation():
    """The header navigation, account links and breadcrumbs of every signed-in coordinator
    page (the layout reads `header_navigation` and `header_account`)."""
    rule = request.url_rule
    if rule is None or "/coordinator/" not in rule.rule + "/" or not signed_in_coordinator():
        return {}
    endpoint = request.endpoint
    items = [{"href": url_for(link.endpoint), "text": link.text,
              "current": _is_within(link, endpoint)} for link in visible(HEADER)]
    account = [{"text": escape(current_user.display_name), "icon": True},
               {"href": url_for("coordinators.account_recovery_codes"),
                "text": "Your recovery codes"}]
    return {"header_navigation": {"items": items, "ariaLabel": "Workspace"},
            "header_account": {"items": account}, "breadcrumb_trail":
            breadcrumb_trail(endpoint), "workspace_areas": visible(HEADER),
            "settings_areas": visible(SETTINGS), "may_open": may_open}


def _chooser(area: CohortArea):
    @coordinator_required(area.permission)
    def choose():
        return render_template("workspace/choose_cohort.html", tenant=current_tenant(),
                               area=area, cohorts=cohorts.cohorts(db.session))

    choose.__name__ = area.slug
    return choose


for _area in COHORT_AREAS:
    bp.add_url_rule(f"/{_area.slug}/", endpoint=_area.slug, view_func=_chooser(_area))
