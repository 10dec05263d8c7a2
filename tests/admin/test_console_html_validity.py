"""The Nu Html Checker finds no errors on the platform console's pages either."""

from __future__ import annotations

from peerpath.admin import accounts
from tests.accounts.helpers import post_form
from tests.test_html_validity import checker_errors

CONSOLE_PAGES = ("/admin/trusts", "/admin/trusts/{slug}", "/admin/trusts/new", "/admin/audit",
                 "/admin/api-tokens", "/admin/admins")


def test_the_console_pages_have_no_html_errors(admin_client, module_trust, make_admin, app,
                                              tmp_path):
    pages = {}
    for path in CONSOLE_PAGES:
        url = path.format(slug=module_trust.slug)
        response = admin_client.get(url)
        assert response.status_code == 200, url
        pages[url] = response.get_data(as_text=True)
    confirm = post_form(admin_client, f"/admin/trusts/{module_trust.slug}/status",
                        {"action": "suspend"}, form_page=f"/admin/trusts/{module_trust.slug}")
    assert confirm.status_code == 200
    pages["suspend confirmation"] = confirm.get_data(as_text=True)
    other_email, _ = make_admin()
    with app.app_context():
        other = next(a for a in accounts.every_admin() if a.email == other_email)
    deactivate = post_form(admin_client, f"/admin/admins/{other.id}/deactivate", {},
                           form_page="/admin/admins")
    assert deactivate.status_code == 200
    pages["deactivate confirmation"] = deactivate.get_data(as_text=True)
    errors = checker_errors(pages, tmp_path)
    assert errors == [], "\n".join(errors)
