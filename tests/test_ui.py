"""NHS.UK frontend layout, error pages, form helpers and the static asset install."""

from __future__ import annotations

from html.parser import HTMLParser
from pathlib import Path
from types import SimpleNamespace

import pytest
from flask import Blueprint, Flask, g, render_template, render_template_string

from peerpath import frontend_assets, ui

ROOT = Path(__file__).resolve().parent.parent
TEMPLATES = ROOT / "peerpath" / "templates"
TRUST = SimpleNamespace(display_name="Anytown and Anyplace NHS Foundation Trust", slug="anytown")

SIGN_IN = '{% extends "layout.html" %}{% block title %}Sign in{% endblock %}'
FORM_PAGE = """{% extends "layout.html" %}
{% from "macros/forms.html" import error_summary, csrf_field %}
{% from "nhsuk/components/back-link/macro.jinja" import backLink %}
{% block title %}Your details{% endblock %}
{% block beforeContent %}{{ backLink({"href": "/start", "text": "Back"}) }}{% endblock %}
{% block content %}{{ error_summary(errors, ids) }}<h1>Your details</h1>
<form method="post">{{ csrf_field() }}</form>{% endblock %}
"""


class _Scripts(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.scripts: list[dict] = []

    def handle_starttag(self, tag, attrs):
        if tag == "script":
            self.scripts.append(dict(attrs))


def scripts_in(html: str) -> list[dict]:
    parser = _Scripts()
    parser.feed(html)
    return parser.scripts


@pytest.fixture
def app():
    app = Flask(__name__, template_folder=str(TEMPLATES))
    app.config.update(SECRET_KEY="test", TESTING=True)
    ui.init_ui(app)

    @app.get("/form")
    def form_page():
        return render_template_string(FORM_PAGE, errors={"email": ["Enter an email address"]})

    return app


def render(app, source: str, **context) -> str:
    with app.test_request_context("/"):
        return render_template_string(source, **context)


def test_layout_has_nhsuk_header_skip_link_and_footer(app):
    html = render(app, '{% extends "layout.html" %}{% block title %}Start{% endblock %}')
    assert "<title>Start \u2013 PeerPath \u2013 NHS</title>" in html
    assert 'class="nhsuk-header' in html
    assert 'class="nhsuk-header__service-name">PeerPath<' in html.replace("\n", "")
    assert 'class="nhsuk-skip-link"' in html and 'href="#maincontent"' in html
    assert 'id="maincontent"' in html
    assert 'class="nhsuk-footer"' in html
    for text in ("Privacy", "Accessibility statement", "Help in a crisis"):
        assert f">{text}</a>" in html
    assert 'href="/accessibility"' in html  # the statement, no longer href="#"
    assert 'href="/static/nhsuk/nhsuk-frontend.min.css"' in html
    assert "nhsuk-header__organisation-name" not in html


def test_layout_shows_trust_name_when_tenant_in_context(app):
    html = render(app, '{% extends "layout.html" %}', tenant=TRUST)
    assert 'class="nhsuk-header__organisation-name">Anytown and Anyplace NHS' in html


def test_layout_blocks_can_be_overridden(app):
    source = """{% extends "layout.html" %}
    {% from "nhsuk/components/footer/macro.jinja" import footer %}
    {% block beforeContent %}<p id="before">b</p>{% endblock %}
    {% block content %}<p id="content">c</p>{% endblock %}
    {% block scripts %}<script type="module" src="/x.js" nonce="{{ cspNonce }}"></script>
    {% endblock %}
    {% block footer_links %}{{ footer({"meta": {"items": [{"href": "/terms", "text": "Terms"}]}}) }}
    {% endblock %}"""
    html = render(app, source)
    assert html.index('id="before"') < html.index("<main") < html.index('id="content"')
    assert 'src="/x.js"' in html
    assert ">Terms</a>" in html and "Privacy" not in html


@pytest.mark.parametrize(
    "context",
    [
        {"errors": {"email": "Enter an email address"}},
        {"has_errors": True},
        {"form": SimpleNamespace(errors={"email": ["Enter an email address"]})},
    ],
)
def test_title_gets_error_prefix_when_form_invalid(app, context):
    html = render(app, SIGN_IN, **context)
    assert "<title>Error: Sign in \u2013 PeerPath \u2013 NHS</title>" in html


@pytest.mark.parametrize("context", [{}, {"errors": {}}, {"form": SimpleNamespace(errors={})}])
def test_title_has_no_error_prefix_when_valid(app, context):
    html = render(app, SIGN_IN, **context)
    assert "<title>Sign in \u2013 PeerPath \u2013 NHS</title>" in html


def test_page_title_helper_escapes():
    assert ui.page_title("A & B") == "A &amp; B \u2013 PeerPath \u2013 NHS"
    assert ui.page_title("A", {"x": "y"}).startswith("Error: A")


def test_error_summary_links_each_field(app):
    errors = {
        "full_name": "Enter your full name",
        "email": ["Enter an email address", "Second message is not shown"],
        "dob": ["Enter your date of birth"],
        "address": {"postcode": ["Enter a postcode"]},
        None: ["Something went wrong"],
    }
    html = render(app, FORM_PAGE, errors=errors, ids={"dob": "dob-day"})
    assert 'class="nhsuk-error-summary"' in html
    assert "There is a problem" in html
    assert '<a href="#full_name"' in html
    assert '<a href="#email"' in html
    assert '<a href="#dob-day"' in html
    assert '<a href="#address-postcode"' in html
    assert "Second message is not shown" not in html
    assert "Something went wrong" in html
    assert "<title>Error: Your details" in html


def test_error_summary_renders_nothing_without_errors(app):
    html = render(app, FORM_PAGE, errors={})
    assert "nhsuk-error-summary" not in html
    assert "Error:" not in html


def test_field_error_helper():
    assert ui.field_error({"email": ["Enter an email"]}, "email") == {"text": "Enter an email"}
    assert ui.field_error({"email": []}, "email") is None
    assert ui.field_error(None, "email") is None


def test_csrf_field_outputs_hidden_token(app):
    html = render(app, FORM_PAGE, errors={})
    assert '<input type="hidden" name="csrf_token" value="' in html


def test_no_inline_script_without_the_request_nonce(app):
    with app.test_request_context("/"):
        app.preprocess_request()
        html = render_template_string(FORM_PAGE, errors={})
        nonce = g.csp_nonce
    scripts = scripts_in(html)
    assert scripts, "expected the nhsuk js-enabled script and the module script"
    for attrs in scripts:
        assert attrs.get("nonce") == nonce
    externals = [a for a in scripts if "src" in a]
    assert externals and all(a.get("type") == "module" for a in externals)
    assert "<script>" not in html


def test_nonce_is_new_for_each_request(app):
    client = app.test_client()
    nonces = {
        next(s["nonce"] for s in scripts_in(client.get("/form").get_data(as_text=True)))
        for _ in range(3)
    }
    assert len(nonces) == 3


@pytest.mark.parametrize(
    ("code", "heading"),
    [
        (400, "Sorry, there was a problem with your request"),
        (403, "You cannot view this page"),
        (404, "Page not found"),
        (500, "Sorry, there is a problem with the service"),
        (503, "Sorry, this service is not available at the moment"),
    ],
)
def test_error_pages_render_with_nhsuk_styling(app, code, heading):
    with app.test_request_context("/"):
        html = render_template(f"errors/{code}.html", tenant=None)
    assert f"<h1>{heading}</h1>" in html
    assert f"<title>{heading} \u2013 PeerPath" in html
    assert 'class="nhsuk-header' in html and 'class="nhsuk-footer"' in html
    assert "Traceback" not in html and "Error:" not in html


def test_503_names_the_trust_when_known(app):
    with app.test_request_context("/"):
        html = render_template("errors/503.html", tenant=TRUST)
        plain = render_template("errors/503.html", tenant=None)
    assert f"PeerPath for {TRUST.display_name} is temporarily unavailable" in html
    assert "temporarily unavailable" in plain


def test_blueprint_templates_and_package_templates_both_load(app, tmp_path):
    (tmp_path / "bp_page.html").write_text(
        '{% extends "layout.html" %}{% from "nhsuk/components/tag/macro.jinja" import tag %}'
        '{% block content %}{{ tag({"text": "Open"}) }}{% endblock %}'
    )
    bp = Blueprint("bp", __name__, template_folder=str(tmp_path))

    @bp.get("/bp")
    def page():
        return render_template("bp_page.html")

    app.register_blueprint(bp)
    html = app.test_client().get("/bp").get_data(as_text=True)
    assert 'class="nhsuk-tag"' in html


@pytest.fixture(scope="module")
def node_modules():
    # The same installer as `make setup` (npm ci, or the locked tarballs checked against
    # their integrity when npm is missing): never a skip.
    frontend_assets.main()
    assert (ROOT / ui.DIST_SUBDIR / "nhsuk-frontend.min.css").is_file()
    return ROOT / "node_modules"


def test_install_static_assets_copies_and_is_idempotent(node_modules, tmp_path):
    dest = tmp_path / "nhsuk"
    assert ui.install_static_assets(ROOT, dest=dest) is True
    for name in ("nhsuk-frontend.min.css", "nhsuk-frontend.min.js", ui.MARKER):
        assert (dest / name).is_file()
    assert (dest / "assets" / "images" / "favicon.svg").is_file()
    assert (dest / "assets" / "manifest.json").is_file()
    css = (dest / "nhsuk-frontend.min.css").read_text()
    assert "url(/assets/" not in css and "url(assets/images/" in css
    assert "10.6.1" in (dest / ui.MARKER).read_text()
    assert ui.install_static_assets(ROOT, dest=dest) is False
    (dest / ui.MARKER).write_text("old\n")
    assert ui.install_static_assets(ROOT, dest=dest) is True
    assert sorted(p.name for p in tmp_path.iterdir()) == ["nhsuk"]


def test_install_assets_command_fills_the_static_folder(node_modules):
    assert ui.main(["install-assets"]) == 0
    assert (ROOT / ui.STATIC_SUBDIR / "nhsuk-frontend.min.css").is_file()
    assert (ROOT / ui.STATIC_SUBDIR / "nhsuk-frontend.min.js").is_file()


def test_install_assets_explains_missing_node_modules(tmp_path):
    with pytest.raises(FileNotFoundError, match="npm ci"):
        ui.install_static_assets(tmp_path)
