"""Hypothesis fuzz of the applicant form endpoints: whatever is posted, never a 500."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.applications.helpers import (
    create_cohort,
    csrf_from,
    onboard_trust,
    sign_in_link,
    start_application,
    use_sign_in_link,
)

FIELDS = ["name", "email", "phone", "answer", "answer-day", "answer-month", "answer-year",
          "disability_confident", "preferred_channel", "texts_ok", "voicemail_ok", "other",
          "easy_read", "large_print", "reason", "age_group", "action",
          "lived_experience.answer", "available_all_training_days.answer"]
# Surrogates cannot be encoded by any browser (or the test client), so they are left out.
text = st.text(alphabet=st.characters(exclude_categories=("Cs",)), max_size=60)
values = st.one_of(text, st.sampled_from(
    ["yes", "no", "", "0", "-1", "99999999999999999999", "2024", "\x00", "save",
     "prefer_not_to_say", "a@b.example"]))
forms = st.dictionaries(st.sampled_from(FIELDS) | text, values, max_size=8)
FUZZ = settings(max_examples=25, deadline=None,
                suppress_health_check=[HealthCheck.function_scoped_fixture,
                                       HealthCheck.too_slow])


@pytest.fixture(scope="module")
def fuzzed(app):
    """A trust, a signed-in applicant with a draft, and the CSRF token of their session."""
    tenant = onboard_trust(app, "fuzz", "Fuzz Trust")
    cohort_id = create_cohort(app, tenant)
    client = app.test_client()
    start_application(client, tenant, cohort_id, email="fuzz@applicant.example")
    token = sign_in_link(app, tenant, "fuzz@applicant.example")
    use_sign_in_link(client, tenant, token)
    csrf = csrf_from(client.get(f"/trusts/{tenant.slug}/account/details"))
    base = f"/trusts/{tenant.slug}"
    paths = [f"{base}/apply/{cohort_id}/your-details", f"{base}/account/details",
             f"{base}/account/sign-in", f"{base}/eligibility-check", f"{base}/apply/submit",
             *(f"{base}/apply/step/{name}" for name in (
                 "lived_experience", "disability-confident", "communication-needs",
                 "equality-monitoring")),
             f"{base}/account/applications/1/withdraw", f"{base}/account/applications/x/defer"]
    return client, csrf, paths


@FUZZ
@given(form=forms, which=st.integers(min_value=0, max_value=10))
def test_no_form_post_gets_a_500(fuzzed, form, which):
    client, csrf, paths = fuzzed
    path = paths[which % len(paths)]
    response = client.post(path, data={**form, "csrf_token": csrf})
    assert response.status_code < 500, (path, form)


@FUZZ
@given(segment=text.filter(lambda s: s and "/" not in s and s not in ".."))
def test_no_odd_url_segment_gets_a_500(fuzzed, segment):
    client, _csrf, paths = fuzzed
    base = paths[0].split("/apply/")[0]
    for path in (f"{base}/apply/step/{segment}", f"{base}/account/sign-in/{segment}",
                 f"{base}/apply/{segment}/your-details"):
        assert client.get(path).status_code < 500, path
