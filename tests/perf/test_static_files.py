"""Static files: fingerprinted names cached for a year as immutable, served compressed with
brotli or gzip as the browser asks, and a changed file gets a new name."""

from __future__ import annotations

import re

import pytest

from peerpath import static_files

CSS_LINK = re.compile(r'href="(/static/nhsuk/nhsuk-frontend\.min\.[0-9a-f]{12}\.css)"')


@pytest.fixture(scope="module")
def stylesheet_url(app):
    body = app.test_client().get("/help-in-a-crisis").get_data(as_text=True)
    match = CSS_LINK.search(body)
    assert match, "the layout links to the fingerprinted stylesheet"
    return match.group(1)


def test_a_fingerprinted_file_is_cached_for_a_year_as_immutable(client, stylesheet_url):
    response = client.get(stylesheet_url)
    assert response.status_code == 200
    cache = response.headers["Cache-Control"]
    assert "immutable" in cache and "public" in cache
    assert int(re.search(r"max-age=(\d+)", cache).group(1)) >= 365 * 24 * 60 * 60
    assert response.headers["X-Content-Type-Options"] == "nosniff"


@pytest.mark.parametrize(("accepts", "encoding"), [("br, gzip", "br"), ("gzip", "gzip")])
def test_the_stylesheet_is_served_compressed(client, stylesheet_url, accepts, encoding):
    plain = client.get(stylesheet_url, headers={"Accept-Encoding": "identity"})
    packed = client.get(stylesheet_url, headers={"Accept-Encoding": accepts})
    assert packed.headers["Content-Encoding"] == encoding
    assert "Accept-Encoding" in packed.headers["Vary"]
    assert len(packed.data) * 5 < len(plain.data)


def test_a_plain_name_is_cached_for_a_day_only(client):
    response = client.get("/static/nhsuk/nhsuk-frontend.min.css")
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == f"max-age={static_files.ONE_DAY}, public"


def test_a_changed_file_gets_a_new_name_and_the_build_follows_its_sources(tmp_path):
    source, target = tmp_path / "static", tmp_path / "static_build"
    (source / "js").mkdir(parents=True)
    script = source / "js" / "app.js"
    script.write_text("console.log('one');" * 50)
    first = static_files.ensure_built(source, target)["js/app.js"]
    assert (target / first).is_file() and (target / (first + ".br")).is_file()
    assert static_files.ensure_built(source, target)["js/app.js"] == first  # no rebuild
    script.write_text("console.log('two');" * 50)
    second = static_files.ensure_built(source, target)["js/app.js"]
    assert second != first and (target / second).read_text().startswith("console.log('two')")
    assert not (target / first).exists()
