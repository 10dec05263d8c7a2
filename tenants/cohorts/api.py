"""Courses and cohorts in the trust API (the same schemas as the settings pages)."""

from __future__ import annotations

from flask import Blueprint, abort, jsonify

from peerpath.extensions import db
from tenants.api_tokens.auth import api_access
from tenants.cohorts import calendar, service
from tenants.cohorts.forms import json_save
from tenants.cohorts.models import Cohort, Course
from tenants.cohorts.schemas import CohortSchema, CourseSchema, TrainingDaySchema

bp = Blueprint("cohorts_api", __name__)

COURSE_FIELDS = ("id", "name", "length_weeks", "training_days", "format", "locations",
                 "leads_to", "description")
COHORT_FIELDS = ("id", "course_id", "name", "capacity", "eoi_opens_on", "eoi_closes_on",
                 "shortlisting_week_of", "interview_week_of", "starts_on", "posts_advertised")


def _plain(value):
    return value.isoformat() if hasattr(value, "isoformat") else value


def course_json(course: Course) -> dict:
    return {name: getattr(course, name) for name in COURSE_FIELDS}


def cohort_json(cohort: Cohort) -> dict:
    body = {name: _plain(getattr(cohort, name)) for name in COHORT_FIELDS}
    body["places_offered"] = service.places_offered(db.session, cohort.id)
    body["training_days"] = [{"id": d.id, "on_date": d.on_date.isoformat(),
                              "starts_at": d.starts_at.isoformat("minutes"),
                              "ends_at": d.ends_at.isoformat("minutes"), "place": d.place,
                              "kind": d.kind, "bank_holiday": calendar.bank_holiday(d.on_date)}
                             for d in cohort.days]
    body["key_dates"] = [{"key": k.key, "title": k.title, "first": k.first.isoformat(),
                          "last": k.last.isoformat(), "bank_holidays": list(k.bank_holidays)}
                         for k in calendar.key_dates(cohort, with_training_days=False)]
    return body


def _get(model, record_id):
    found = db.session.get(model, record_id)
    if found is None:
        abort(404, "Not found")
    return found


@bp.get("/courses")
@api_access("read")
def courses():
    return jsonify(courses=[course_json(c) for c in service.courses(db.session)])


@bp.get("/courses/<int:course_id>")
@api_access("read")
def course(course_id: int):
    return jsonify(course_json(_get(Course, course_id)))


@bp.post("/courses")
@bp.put("/courses/<int:course_id>")
@api_access("write")
def save_course(course_id: int | None = None):
    existing = _get(Course, course_id) if course_id else None
    saved = json_save(CourseSchema(), lambda data: service.save_course(db.session, data,
                                                                       existing))
    return jsonify(course_json(saved)), (200 if existing else 201)


@bp.get("/cohorts")
@api_access("read")
def cohorts():
    return jsonify(cohorts=[cohort_json(c) for c in service.cohorts(db.session)])


@bp.get("/cohorts/<int:cohort_id>")
@api_access("read")
def cohort(cohort_id: int):
    return jsonify(cohort_json(_get(Cohort, cohort_id)))


@bp.post("/cohorts")
@bp.put("/cohorts/<int:cohort_id>")
@api_access("write")
def save_cohort(cohort_id: int | None = None):
    existing = _get(Cohort, cohort_id) if cohort_id else None
    saved = json_save(CohortSchema(), lambda data: service.save_cohort(db.session, data,
                                                                       existing))
    return jsonify(cohort_json(saved)), (200 if existing else 201)


@bp.post("/cohorts/<int:cohort_id>/training-days")
@api_access("write")
def add_training_day(cohort_id: int):
    found = _get(Cohort, cohort_id)
    json_save(TrainingDaySchema(), lambda data: service.add_training_day(db.session, found,
                                                                         data))
    return jsonify(cohort_json(found)), 201
