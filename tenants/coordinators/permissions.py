"""Who may do what in a trust's workspace: the one table that pages, the API and the
navigation all read (ARCHITECTURE.md rule 10).

Each permission names one area and what is done there, the roles that may do it, and the
API token scope it needs ("read" or "write"). A page is guarded with
``@coordinator_required("applications:read")``; a JSON endpoint with
``@api_access("applications:read")``: the API request may do exactly what the token owner's
current role may do on the pages, and no more than the token's scope. The navigation shows
an area only to the roles that hold its permission, so a page a role may use is a page that
role can reach (tests/security/test_permission_matrix.py and test_link_crawl.py read this
table too).

Beside the role, some permissions also need a per-person grant (tenants.coordinators.models
GRANTS: make decisions, set up interviews, view sensitive disclosures, view equality
monitoring, manage the team) that a lead gives or takes away on the team page; ``permits``
checks both, so a page and its API twin answer alike.

Finer rules that depend on the record (a panel member sees only the interviews they sit on)
stay in the views and services; this table is the coarse gate in front of them.
"""

from __future__ import annotations

from dataclasses import dataclass

from tenants.coordinators.models import GRANTS, ROLES

SCOPES = ("read", "write")

EVERYONE = ROLES
STAFF = ("lead", "coordinator")
READERS = ("lead", "coordinator", "read_only")
REVIEWERS = ("lead", "coordinator", "panel")
LEADS = ("lead",)


@dataclass(frozen=True)
class Permission:
    roles: tuple[str, ...]
    scope: str
    summary: str
    grant: str | None = None  # the per-person grant also needed, if any


PERMISSIONS: dict[str, Permission] = {
    # Everyone signed in to the trust
    "workspace:read": Permission(EVERYONE, "read", "Open the workspace home"),
    "account:write": Permission(EVERYONE, "write", "Manage their own recovery codes"),
    "api_tokens:read": Permission(EVERYONE, "read", "See their own API tokens"),
    "api_tokens:write": Permission(EVERYONE, "write", "Create and revoke their own API tokens"),
    "settings:read": Permission(EVERYONE, "read", "Read the programme settings (questions and "
                                "rules, courses, cohorts and calendars, drop-ins)"),
    "own_interviews:read": Permission(EVERYONE, "read", "List the interviews they sit on"),
    # Applications and the stages after them
    "applications:read": Permission(READERS, "read", "Read applications, notes and the "
                                    "pipeline"),
    "applications:write": Permission(STAFF, "write", "Enter, move, annotate and merge "
                                     "applications"),
    "shortlisting:write": Permission(REVIEWERS, "write", "Review applications for the "
                                     "shortlist"),
    "shortlist_final:write": Permission(LEADS, "write", "Make a cohort's shortlist final",
                                        "make_decisions"),
    "decisions:write": Permission(STAFF, "write", "Decide on applications (eligibility, "
                                  "shortlist, interview result, withdrawal) with a reason",
                                  "make_decisions"),
    "sensitive:read": Permission(READERS, "read", "Read sensitive disclosures (lived "
                                 "experience answers, adjustments)", "view_sensitive"),
    "equality:read": Permission(STAFF, "read", "See equality monitoring totals (never "
                                "beside a named application)", "view_equality"),
    "interviews:read": Permission(READERS, "read", "See a cohort's interview slots and "
                                  "bookings"),
    "interviews:write": Permission(STAFF, "write", "Add interview slots and book interviews",
                                   "set_up_interviews"),
    "interview_records:read": Permission(STAFF, "read", "Read any application's interview "
                                         "record"),
    "interview_panel:write": Permission(REVIEWERS, "write", "Score the interviews they sit "
                                        "on"),
    "training:read": Permission(READERS, "read", "See places, registers, outcomes and "
                                "follow-ups"),
    "training:write": Permission(STAFF, "write", "Offer and defer places, keep registers, "
                                 "record outcomes"),
    "conditions:write": Permission(STAFF, "write", "Record the conditions of a place "
                                   "(pending, met, not met)"),
    "conditions_override:write": Permission(LEADS, "write", "Let someone start training "
                                            "with conditions of their place unmet, with a "
                                            "reason", "make_decisions"),
    "posts:read": Permission(READERS, "read", "See teams, posts and matching to posts"),
    "posts:write": Permission(STAFF, "write", "Add teams and posts, match people who "
                              "completed the training to posts and record placements"),
    "reports:read": Permission(READERS, "read", "Read the programme's reports (counts only)"),
    "dropin_attendance:write": Permission(STAFF, "write", "Record drop-in attendance"),
    "messages:read": Permission(STAFF, "read", "Read the messages sent to applicants"),
    "messages:write": Permission(STAFF, "write", "Retry messages and edit message templates"),
    # Lead coordinators only
    "settings:write": Permission(LEADS, "write", "Change the programme settings"),
    "providers:read": Permission(LEADS, "read", "See the e-mail and text message providers"),
    "providers:write": Permission(LEADS, "write", "Change the e-mail and text providers"),
    "privacy:write": Permission(LEADS, "write", "Edit the privacy notice"),
    "trust_page:write": Permission(LEADS, "write", "Edit the trust's public page, its crisis "
                                   "lines and the stories of past trainees"),
    "retention:write": Permission(LEADS, "write", "Set and run the retention policy"),
    "subject_access:read": Permission(STAFF, "read", "Answer subject access requests"),
    "erasure:write": Permission(LEADS, "write", "Erase an applicant's data"),
    "team:write": Permission(LEADS, "write", "Invite and manage the team", "manage_team"),
    "audit:read": Permission(LEADS, "read", "Search the audit log"),
}

for _name, _permission in PERMISSIONS.items():  # a typo in the table fails at import
    assert set(_permission.roles) <= set(ROLES), _name
    assert _permission.scope in SCOPES and _name.endswith(":" + _permission.scope), _name
    assert _permission.grant in (None, *GRANTS), _name


class UnknownPermission(ValueError):
    pass


def permission(name: str) -> Permission:
    try:
        return PERMISSIONS[name]
    except KeyError:
        raise UnknownPermission(
            f"{name!r} is not in tenants/coordinators/permissions.PERMISSIONS: add it "
            "there (roles are never named at a call site)") from None


def permits(who, name: str) -> bool:
    """Whether `who` may do what permission `name` covers.

    `who` is a coordinator (its role and its grants both count) or a bare role name (the
    role alone: what the role allows someone holding every grant, as the tables in the
    tests and the documentation read it).
    """
    wanted = permission(name)
    role = who if isinstance(who, str) or who is None else getattr(who, "role", None)
    if role not in wanted.roles:
        return False
    if wanted.grant is None or isinstance(who, str):
        return True
    return wanted.grant in (getattr(who, "grants", None) or ())

