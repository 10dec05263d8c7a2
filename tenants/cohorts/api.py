"""Courses and cohorts in the trust API (the same input schemas as the settings pages)."""

from __future__ import annotations

from flask import Blueprint
from sqlalchemy import select

from peerpath.api import api_operation, paginate, require_if_match
from peerpath.extensions import db
from tenants.api_tokens.auth import api_access
from tenants.cohorts import service
from tenants.cohorts.api_schemas import CohortOutSchema, CourseOutSchema
from tenants.cohorts.forms import api_input, get_or_404
from tenants.cohorts.forms import api_save as saved
from tenants.cohorts.models import Cohort, Course
from tenants.cohorts.schemas import CohortSchema, CourseSchema, TrainingDaySchema

bp = Blueprint("cohorts_api", __name__)
HTML_ONLY = ("_join_parts", "_split_locations")
CourseInput = api_input(CourseSchema, html_only=HTML_ONLY)
CohortInput = api_input(CohortSchema, html_only=HTML_ONLY)
TrainingDayInput = api_input(TrainingDaySchema, html_only=HTML_ONLY)


@bp.get("/courses")
@api_access("settings:read")
@api_operation(response=CourseOutSchema, paginated=True)
def courses(query):
    """List the courses."""
    return paginate(db.session, select(Course), Course.id, query)


@bp.get("/courses/<int:course_id>")
@api_access("settings:read")
@api_operation(response=CourseOutSchema)
def course(course_id: int):
    """Get a course."""
    return get_or_404(Course, course_id)


@bp.post("/courses")
@api_access("settings:write")
@api_operation(request=CourseInput, response=CourseOutSchema, status=201,
               errors=(409,))
def create_course(body):
    """Add a course."""
    return saved(service.save_course, body)


@bp.put("/courses/<int:course_id>")
@api_access("settings:write")
@api_operation(request=CourseInput, response=CourseOutSchema, errors=(409,))
def update_course(course_id: int, body):
    """Change a course."""
    existing = get_or_404(Course, course_id)
    require_if_match(existing)
    return saved(service.save_course, body, existing)


@bp.get("/cohorts")
@api_access("settings:read")
@api_operation(response=CohortOutSchema, paginated=True)
def cohorts(query):
    """List the cohorts, with their training days and key dates."""
    return paginate(db.session, select(Cohort), Cohort.id, query)


@bp.get("/cohorts/<int:cohort_id>")
@api_access("settings:read")
@api_operation(response=CohortOutSchema)
def cohort(cohort_id: int):
    """Get a cohort, with its training days and key dates (bank holidays flagged)."""
    return get_or_404(Cohort, cohort_id)


@bp.post("/cohorts")
@api_access("settings:write")
@api_operation(request=CohortInput, response=CohortOutSchema, status=201,
               errors=(409,))
def create_cohort(body):
    """Add a cohort of a course.

    Its dates must be in order and its training days inside the course (409 otherwise).
    """
    return saved(service.save_cohort, body)


@bp.put("/cohorts/<int:cohort_id>")
@api_access("settings:write")
@api_operation(request=CohortInput, response=CohortOutSchema, errors=(409,))
def update_cohort(cohort_id: int, body):
    """Change a cohort.

    Places cannot drop below the places already offered (409).
    """
    existing = get_or_404(Cohort, cohort_id)
    require_if_match(existing)
    return saved(service.save_cohort, body, existing)


@bp.post("/cohorts/<int:cohort_id>/training-days")
@api_access("settings:write")
@api_operation(request=TrainingDayInput, response=CohortOutSchema, status=201,
               errors=(409,))
def add_training_day(cohort_id: int, body):
    """Add a training day to a cohort; the cohort is returned."""
    found = get_or_404(Cohort, cohort_id)
    saved(service.add_training_day, found, body)
    return found
