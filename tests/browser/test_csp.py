"""The Content-Security-Policy blocks nothing of our own: map, report form, report page, staff queue, API docs."""

from __future__ import annotations

import os

import pytest
from drf_spectacular.settings import spectacular_settings
from playwright.sync_api import sync_playwright

from staff.models import StaffRole
from tests.browser.test_report_flow import CHROMIUM_ARGS
from tests.factories import UserFactory, make_report
from tests.staff.conftest import government

os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
PASSWORD = "correct horse battery staple"
# Collects every violation the page reports, from the first script on.
LISTEN = """
window.__violations = [];
document.addEventListener("securitypolicyviolation", function (e) {
  window.__violations.push(e.violatedDirective + " " + e.blockedURI + " " + (e.sourceFile || "") + ":" + e.lineNumber);
});
"""


@pytest.mark.browser
def test_pages_run_under_the_policy_without_violations(live_server, transactional_db, monkeypatch):
    if spectacular_settings.SWAGGER_UI_DIST != "SIDECAR":
        # Swagger UI still comes from a CDN here (vendoring it is another change): serve its files
        # from our own host, where the policy must let them and the page's inline init script run.
        monkeypatch.setattr(spectacular_settings, "SWAGGER_UI_DIST", "/static/swagger-ui-dist")
        monkeypatch.setattr(spectacular_settings, "SWAGGER_UI_FAVICON_HREF", "/static/swagger-ui-dist/favicon-32x32.png")
    report = make_report()
    officer = UserFactory(username="officer")
    StaffRole.objects.create(user=officer, local_government=government("11010"), role=StaffRole.Role.STAFF)
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
        context = browser.new_context(locale="ko-KR")
        context.set_default_timeout(15_000)
        context.add_init_script(LISTEN)
        page = context.new_page()
        console = []
        page.on("console", lambda message: console.append(message.text))
        errors = []
        page.on("pageerror", lambda error: errors.append(str(error)))

        def visit(path: str) -> list[str]:
            console.clear()
            response = page.goto(f"{live_server.url}{path}")
            assert response.status == 200, path
            policy = response.headers["content-security-policy"]
            script_src = policy.split("script-src ")[1].split(";")[0]
            # The nonce is there when the page has an inline script; never 'unsafe-inline'.
            assert script_src.startswith("'self'") and "unsafe" not in script_src and "default-src 'self'" in policy
            page.wait_for_load_state("networkidle")
            return page.evaluate("window.__violations") + [m for m in console if "Content Security Policy" in m]

        assert visit("/") == []
        # The inline script ran: the map and its list were built by it.
        page.locator("#report-map .leaflet-container, #report-map.leaflet-container").first.wait_for()
        assert visit("/reports/new/") == []
        page.locator("#pin-map.leaflet-container").wait_for()
        assert visit(f"/reports/{report.pk}/") == []
        page.locator("#report-map .leaflet-marker-pane, #report-map .leaflet-overlay-pane").first.wait_for(state="attached")
        assert visit("/areas/11010/") == []

        page.goto(f"{live_server.url}/accounts/login/")
        page.fill("#id_username", "officer")
        page.fill("#id_password", PASSWORD)
        page.get_by_role("button", name="로그인").click()
        page.wait_for_load_state("networkidle")
        assert visit("/staff/") == []

        errors.clear()
        assert visit("/api/docs/") == []
        if spectacular_settings.SWAGGER_UI_DIST == "SIDECAR":
            page.locator("#swagger-ui .info").wait_for()
        else:
            # No Swagger files here, so the nonce'd init script ran and found no SwaggerUIBundle.
            assert any("SwaggerUIBundle" in error for error in errors), errors
        assert errors == [] or spectacular_settings.SWAGGER_UI_DIST != "SIDECAR"
        context.close()
        browser.close()
