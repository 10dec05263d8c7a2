"""`/` reads each trust's public summary from the platform schema: a constant number of
statements however many trusts there are, kept up to date in the same transaction as the
trust's own change, searchable by name or place, and paged."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import text

from peerpath import trust_admin, trust_summary
from peerpath.extensions import db
from peerpath.tenancy import in_tenant_role, tenant_context
from tenants.infosessions import service as infosessions
from tests.applications.helpers import create_cohort, onboard_trust
from tests.conftest import unique_slug
from tests.perf.statements import count_statements

TODAY = dt.date.today()


def summary_of(owner_conn, tenant):
    return owner_conn.execute(
        "SELECT cohorts, drop_ins, places FROM platform.trust_summaries WHERE trust_id = %s",
        (tenant.id,)).fetchone()


def add_drop_in(app, tenant, place: str):
    with tenant_context(tenant, app):
        infosessions.save_session(db.session, {
            "title": "Drop-in", "on_date": TODAY + dt.timedelta(days=4),
            "starts_at": dt.time(14), "ends_at": dt.time(15), "place": place,
            "capacity": None, "access_notes": None})
        db.session.commit()


def test_a_new_cohort_is_in_the_summary_when_its_transaction_commits(app, owner_conn):
    tenant = onboard_trust(app, "sum", "Summary NHS Trust")
    create_cohort(app, tenant, name="Autumn intake", opens=-1, closes=10)
    cohorts, drop_ins, _ = summary_of(owner_conn, tenant)
    assert [c["name"] for c in cohorts] == ["Autumn intake"]
    assert drop_ins == []
    add_drop_in(app, tenant, "Riverside Library")
    _, drop_ins, places = summary_of(owner_conn, tenant)
    assert [d["place"] for d in drop_ins] == ["Riverside Library"]
    assert "Riverside Library" in places


def test_a_rolled_back_change_leaves_the_summary_alone(app, owner_conn):
    tenant = onboard_trust(app, "sumrb", "Rollback NHS Trust")
    create_cohort(app, tenant, name="Kept intake")
    with tenant_context(tenant, app):
        infosessions.save_session(db.session, {
            "title": "Drop-in", "on_date": TODAY + dt.timedelta(days=3),
            "starts_at": dt.time(9), "ends_at": dt.time(10), "place": "Never saved",
            "capacity": None, "access_notes": None})
        db.session.rollback()
    _, drop_ins, places = summary_of(owner_conn, tenant)
    assert drop_ins == [] and "Never saved" not in places


def test_the_summary_is_written_in_the_trusts_transaction_which_keeps_its_role(app):
    tenant = onboard_trust(app, "sumrole", "Role NHS Trust")
    with tenant_context(tenant, app):
        trust_summary.write_summary(db.session, tenant)
        assert in_tenant_role(db.session) == tenant.role
        db.session.commit()


def test_a_trust_role_cannot_write_any_summary_itself(app):
    tenant = onboard_trust(app, "sumdeny", "Denied NHS Trust")
    with tenant_context(tenant, app):
        with pytest.raises(Exception, match="permission denied"):
            db.session.execute(text("UPDATE platform.trust_summaries SET places = 'x'"))
        db.session.rollback()


@pytest.fixture(scope="module")
def searchable_trusts(app):
    """Five trusts that share the word "Quillby" in their name, one with a drop-in in
    "Marshbury", one open now."""
    made = []
    for letter in "ABCDE":
        with app.app_context():
            made.append(trust_admin.onboard(slug=unique_slug("quill"),
                                            display_name=f"Quillby {letter} NHS Trust",
                                            actor="test"))
    create_cohort(app, made[0], name="Open intake", opens=-2, closes=5)
    create_cohort(app, made[1], name="Later intake", opens=10, closes=20)
    add_drop_in(app, made[2], "Marshbury Community Centre")
    return made


def test_the_list_is_searchable_by_name_and_by_place(app, searchable_trusts):
    with app.app_context():
        by_name = trust_summary.list_trusts("quillby")
        by_place = trust_summary.list_trusts("  MARSHBURY ")
        nothing = trust_summary.list_trusts("100%_no_such")
    assert by_name.total == 5 and by_name.open_now == 1
    assert [e["tenant"].display_name for e in by_place.entries] == ["Quillby C NHS Trust"]
    assert nothing.total == 0 and nothing.entries == []


def test_the_list_is_paged_in_name_order(app, searchable_trusts):
    with app.app_context():
        pages = [trust_summary.list_trusts("quillby", page, per_page=2) for page in (1, 2, 3, 9)]
    names = [[e["tenant"].display_name[8] for e in p.entries] for p in pages]
    assert names == [["A", "B"], ["C", "D"], ["E"], ["E"]]  # past the end: the last page
    assert {p.pages for p in pages} == {3}


def test_an_entry_says_what_is_open_now_and_when_the_next_window_opens(app, searchable_trusts):
    with app.app_context():
        listed = trust_summary.list_trusts("quillby").entries
    entries = {e["tenant"].display_name: e for e in listed}
    open_one, later = entries["Quillby A NHS Trust"], entries["Quillby B NHS Trust"]
    assert open_one["cohorts"] == [{"name": "Open intake",
                                    "closes_on": TODAY + dt.timedelta(days=5)}]
    assert later["cohorts"] == [] and later["opens_on"] == TODAY + dt.timedelta(days=10)


def test_the_home_page_searches_and_says_how_many_take_applications(client, searchable_trusts):
    body = client.get("/?q=Quillby").get_data(as_text=True)
    assert "1 of 5 trusts are taking applications now." in body
    assert "Quillby A NHS Trust" in body and "Search by trust name or place" in body
    none = client.get("/?q=Nowhereville").get_data(as_text=True)
    assert "No trust matches “Nowhereville”" in none


def test_a_suspended_trust_leaves_the_list_at_once(app, client, searchable_trusts):
    gone = searchable_trusts[4]
    with app.app_context():
        trust_admin.set_status(gone.slug, "suspended", actor="test")
    try:
        assert gone.display_name not in client.get("/?q=quillby").get_data(as_text=True)
    finally:
        with app.app_context():
            trust_admin.set_status(gone.slug, "active", actor="test")


@pytest.mark.parametrize("query", ["page=abc", "page=-3", "page=99999999999", "q=%00%25",
                                   "q=" + "x" * 500])
def test_odd_search_input_gives_a_page_not_an_error(client, query):
    assert client.get("/?" + query).status_code == 200


def test_the_home_page_costs_the_same_statements_with_more_trusts(app, client,
                                                                 searchable_trusts,
                                                                 monkeypatch):
    monkeypatch.setitem(app.config, "VISITOR_PAGE_SECONDS", 0)  # the page rendered, not cached
    client.get("/")
    with count_statements(app) as before:
        client.get("/")
    for _ in range(3):
        tenant = onboard_trust(app, "more", "More NHS Trust")
        create_cohort(app, tenant)
    with count_statements(app) as after:
        client.get("/")
    assert len(before) == len(after) <= 3, after
    assert not any("trust_" in s and "search_path" in s for s in after)


def test_refreshing_every_summary_rebuilds_a_lost_one(app, cli, owner_conn):
    tenant = onboard_trust(app, "sumcli", "Refresh NHS Trust")
    create_cohort(app, tenant, name="Rebuilt intake")
    owner_conn.execute("DELETE FROM platform.trust_summaries WHERE trust_id = %s", (tenant.id,))
    result = cli("trusts", "refresh-summaries")
    assert result.exit_code == 0, result.output
    assert "trust summaries refreshed" in result.output
    assert [c["name"] for c in summary_of(owner_conn, tenant)[0]] == ["Rebuilt intake"]
