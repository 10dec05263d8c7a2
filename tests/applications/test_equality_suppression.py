"""One small-number rule for every equality count: the reports (tests/posts), a cohort's
equality page and the API. Counts from 1 to 4 read "fewer than 5", and no hidden count can
be worked out by subtracting the shown ones from the total."""

from __future__ import annotations

import itertools

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from peerpath.extensions import db
from peerpath.tenancy import tenant_context
from tenants.api_tokens.service import issue
from tenants.applications.equality import FEWER_THAN_5, NOT_SHOWN, hide_small, shown
from tenants.applications.models import Application, EqualityMonitoring
from tenants.coordinators.service import find_by_email
from tests.applications.helpers import create_cohort, onboard_trust
from tests.config.test_public_page import text_of
from tests.workspace.helpers import (
    count_statements,
    make_application,
    make_coordinator,
    signed_in_client,
)


@pytest.mark.parametrize(("counts", "hidden"), [
    ([7, 4, 2, 0], {1, 2}),  # two small ones, 6 together: the 7 can be shown
    ([7, 3, 0], {0, 1}),  # one small one: 10 - 7 would give it away, so the 7 goes too
    ([10, 6, 1], {1, 2}),  # the smallest other count hides it: 7 together, split unknown
    ([20, 2, 2], {0, 1, 2}),  # 4 together is itself small: the 20 goes too
    ([1, 5, 20], {0, 1, 2}),  # "fewer than 5" + "not shown" making 6 can only be 1 + 5
    ([4, 4, 9], {0, 1, 2}),  # two "fewer than 5" making 8 can only be 4 + 4
    ([12, 8, 0], set()),
    ([0, 0, 0], set()),
])
def test_small_counts_and_what_would_give_them_away_are_hidden(counts, hidden):
    assert hide_small(counts) == hidden


def test_words_say_which_kind_of_hidden():
    hidden = hide_small([7, 3, 0])
    assert [shown(n, i, hidden) for i, n in enumerate([7, 3, 0])] == [NOT_SHOWN,
                                                                      FEWER_THAN_5, "0"]


def _possible_values(words: list[str], total: int) -> list[set[int]]:
    """Every value each hidden count could have, from the words and the total alone."""
    known = sum(int(w) for w in words if w.isdigit())
    options = [range(1, 5) if w == FEWER_THAN_5 else range(5, total + 1) if w == NOT_SHOWN
               else (int(w),) for w in words]
    found = [set() for _ in words]
    hidden = [i for i, w in enumerate(words) if not w.isdigit()]
    for values in itertools.product(*(options[i] for i in hidden)):
        if sum(values) == total - known:
            for i, value in zip(hidden, values, strict=True):
                found[i].add(value)
    return found


@settings(max_examples=300, deadline=None)
@given(st.lists(st.integers(min_value=0, max_value=14), min_size=1, max_size=5))
def test_no_hidden_count_can_be_worked_out_from_the_total(counts):
    hidden = hide_small(counts)
    words = [shown(n, i, hidden) for i, n in enumerate(counts)]
    assert all(i in hidden for i, n in enumerate(counts) if 0 < n < 5)
    every_one_hidden = all(i in hidden for i, n in enumerate(counts) if n)
    if not hidden or every_one_hidden:
        return  # nothing to protect, or the total itself is the only figure left
    possible = _possible_values(words, sum(counts))
    for i in hidden:
        assert len(possible[i]) >= 2, (counts, words)
    assert sum(counts[i] for i in hidden) >= 5, (counts, words)


@pytest.fixture(scope="module")
def trust(app):
    return onboard_trust(app, "eqs", "Equality NHS Trust")


@pytest.fixture(scope="module")
def cohort(app, trust):
    """7 women, 3 men, and 6 people who sent an EOI without equality answers; a draft that
    was never sent is not counted."""
    cohort_id = create_cohort(app, trust, name="Equality cohort")
    genders = ["woman"] * 7 + ["man"] * 3 + [None] * 6
    ids = [make_application(app, trust, cohort_id, stage="eoi_submitted",
                            history=("eoi_submitted",)) for _ in genders]
    draft = make_application(app, trust, cohort_id, stage="interest_registered",
                             history=("interest_registered",))
    with tenant_context(trust, app):
        db.session.get(Application, draft).submitted_at = None
        for application_id, gender in zip([*ids, draft], [*genders, "woman"], strict=True):
            if gender:
                db.session.add(EqualityMonitoring(application_id=application_id,
                                                  answers={"gender": gender}))
        db.session.commit()
    return cohort_id


GENDER = {"Woman": "7", "Man": FEWER_THAN_5, "Non-binary": "0",
          "I describe myself another way": "0", "Prefer not to say": "0",
          "Not answered": NOT_SHOWN}


def test_the_cohort_equality_page_follows_the_same_rule(app, trust, cohort):
    client, _ = signed_in_client(app, trust, "lead")
    dashboard = client.get(f"/trusts/{trust.slug}/coordinator/cohorts/{cohort}/")
    href = f"/trusts/{trust.slug}/coordinator/cohorts/{cohort}/equality"
    assert f'href="{href}"' in dashboard.get_data(as_text=True)
    page = client.get(href)
    body = page.get_data(as_text=True)
    table = body.split('id="equality-gender"', 1)[1].split("</table>", 1)[0]
    rows = dict(_cells(row) for row in table.split('<tr class="nhsuk-table__row">')[2:])
    assert rows == GENDER
    assert "for the 16 people who sent an EOI" in text_of(page)
    # With 16 - 7 = 9 for men and "not answered" together, showing 6 would give 3 away.
    assert ">3<" not in table and ">6<" not in table


def test_the_cohort_equality_page_runs_as_many_statements_for_more_applications(app, trust):
    client, _ = signed_in_client(app, trust, "lead")
    other = create_cohort(app, trust, name="Growing cohort")
    href = f"/trusts/{trust.slug}/coordinator/cohorts/{other}/equality"
    make_application(app, trust, other, stage="eoi_submitted", history=("eoi_submitted",))
    with count_statements(app) as before:
        assert client.get(href).status_code == 200
    for _ in range(30):
        make_application(app, trust, other, stage="eoi_submitted", history=("eoi_submitted",))
    with count_statements(app) as after:
        page = client.get(href)
    assert len(after) == len(before), (len(before), len(after))
    assert "for the 31 people who sent an EOI" in text_of(page)


def _cells(row: str) -> tuple[str, str]:
    import re

    first, second = re.findall(r"<td[^>]*>(.*?)</td>", row, re.S)[:2]
    return first.strip(), second.strip()


def test_the_api_gives_no_suppressed_count(app, client, trust, cohort):
    _, email, _ = make_coordinator(app, trust, "lead")
    with tenant_context(trust, app):
        _, token = issue(db.session, trust, find_by_email(db.session, email).id, "tests",
                         "read")
        db.session.commit()
    response = client.get(f"/api/v1/trusts/{trust.slug}/cohorts/{cohort}/equality",
                          headers={"Authorization": f"Bearer {token}"})
    assert response.status_code == 200, response.get_data(as_text=True)
    gender = next(q for q in response.get_json() if q["key"] == "gender")
    answers = {a["answer"]: (a["count"], a["shown"]) for a in gender["answers"]}
    assert answers["Woman"] == (7, "7")
    assert answers["Man"] == (None, FEWER_THAN_5)
    assert answers["Not answered"] == (None, NOT_SHOWN)
    assert answers["Non-binary"] == (0, "0")
