"""The error summary of a long form in the browser: it takes the focus when the page opens,
and each link moves the focus to its field. Screenshot: error-summary-register.png."""

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import shot, sign_in
from tests.support import personas

pytestmark = pytest.mark.browser


def test_the_summary_takes_the_focus_and_links_to_each_field(page, frank):
    sign_in(page, "frank", personas.PASSWORD)
    page.goto(page.base + "/patients/new")
    page.get_by_label("Date of birth").fill("1850-01-01")
    page.get_by_role("button", name="Register").click()
    summary = page.locator(".error-summary[role=alert]")
    expect(summary).to_be_visible()
    expect(summary).to_be_focused()
    shot(page, "error-summary-register")
    summary.get_by_role("link", name="Family name").click()
    expect(page.get_by_label("Family name")).to_be_focused()
    summary.get_by_role("link", name="Date of birth").click()
    expect(page.get_by_label("Date of birth")).to_be_focused()
