"""Coordinator settings pages for courses and cohorts (leads edit, other roles read)."""

from __future__ import annotations

from flask import Blueprint, Response, abort, redirect, request, url_for

from peerpath.extensions import db
from peerpath.tenancy import current_tenant
from tenants.audit.service import record
from tenants.cohorts import calendar, service
from tenants.cohorts.forms import date_error_ids, get_or_404, render_page, submit
from tenants.cohorts.models import FORMATS, Cohort, Course
from tenants.cohorts.schemas import CohortSchema, CourseSchema, TrainingDaySchema
from tenants.coordinators.auth import coordinator_required

bp = Blueprint("cohort_settings", __name__, template_folder="templates")

FORMAT_CHOICES = [("classroom", "Classroom"), ("placement", "Work-based placement"),
                  ("mixed", "A mix of classroom learning and placements")]
assert [value for value, _ in FORMAT_CHOICES] == list(FORMATS)


@bp.get("/")
@coordinator_required("settings:read")
def index():
    return render_page("settings/index.html")


@bp.get("/courses")
@coordinator_required("settings:read")
def courses():
    return render_page("settings/courses.html", courses=service.courses(db.session))


@bp.route("/courses/new", methods=["GET", "POST"], defaults={"course_id": None})
@bp.route("/courses/<int:course_id>", methods=["GET", "POST"])
@coordinator_required("settings:write")
def course_form(course_id: int | None):
    course = get_or_404(Course, course_id) if course_id else None
    values, errors = (vars(course) if course else {"format": "mixed"}), {}
    if request.method == "POST":
        values, errors, saved = submit(CourseSchema(),
                                       lambda data: service.save_course(db.session, data, course))
        if saved:
            return redirect(url_for(".courses"))
    return render_page("settings/course_form.html", course=course, values=values, errors=errors,
                   format_choices=FORMAT_CHOICES)


@bp.get("/cohorts")
@coordinator_required("settings:read")
def cohorts():
    return render_page("settings/cohorts.html", cohorts=service.cohorts(db.session))


@bp.route("/cohorts/new", methods=["GET", "POST"], defaults={"cohort_id": None})
@bp.route("/cohorts/<int:cohort_id>/edit", methods=["GET", "POST"])
@coordinator_required("settings:write")
def cohort_form(cohort_id: int | None):
    cohort = get_or_404(Cohort, cohort_id) if cohort_id else None
    values, errors = (vars(cohort) if cohort else {}), {}
    if request.method == "POST":
        values, errors, saved = submit(CohortSchema(),
                                       lambda data: service.save_cohort(db.session, data, cohort))
        if saved:
            return redirect(url_for(".cohort", cohort_id=saved.id))
    course_choices = [(c.id, c.name) for c in service.courses(db.session)]
    return render_page("settings/cohort_form.html", cohort=cohort, values=values, errors=errors,
                   course_choices=course_choices, error_ids=date_error_ids(CohortSchema()))


@bp.get("/cohorts/<int:cohort_id>")
@coordinator_required("settings:read")
def cohort(cohort_id: int, values=None, errors=None):
    found = get_or_404(Cohort, cohort_id)
    return render_page("settings/cohort.html", cohort=found,
                   key_dates=calendar.key_dates(found), months=calendar.month_pictures(found),
                   marks=calendar.MARKS, places_offered=service.places_offered(db.session,
                                                                               found.id),
                   values=values or {"place": (found.course.locations or [""])[0]},
                   errors=errors or {}, error_ids=date_error_ids(TrainingDaySchema()))


@bp.post("/cohorts/<int:cohort_id>/days")
@coordinator_required("settings:write")
def add_day(cohort_id: int):
    found = get_or_404(Cohort, cohort_id)
    values, errors, saved = submit(
        TrainingDaySchema(), lambda data: service.add_training_day(db.session, found, data))
    if saved:
        return redirect(url_for(".cohort", cohort_id=cohort_id) + "#training-days")
    return cohort(cohort_id, values=values, errors=errors)


@bp.post("/cohorts/<int:cohort_id>/days/<int:day_id>/remove")
@coordinator_required("settings:write")
def remove_day(cohort_id: int, day_id: int):
    found = get_or_404(Cohort, cohort_id)
    if not service.remove_training_day(db.session, found, day_id):
        abort(404)
    db.session.commit()
    return redirect(url_for(".cohort", cohort_id=cohort_id) + "#training-days")


@bp.get("/cohorts/<int:cohort_id>/calendar.ics")
@coordinator_required("settings:read")
def cohort_ics(cohort_id: int):
    found = get_or_404(Cohort, cohort_id)
    record("cohort.calendar_exported", "cohort", cohort_id)
    db.session.commit()
    return ics_response(found)


def ics_response(cohort: Cohort) -> Response:
    tenant = current_tenant()
    body = calendar.ics(cohort, tenant.slug, tenant.display_name)
    return Response(body, mimetype="text/calendar", headers={
        "Content-Disposition": f'attachment; filename="cohort-{cohort.id}-key-dates.ics"'})
