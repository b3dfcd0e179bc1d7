"""The portal's tab bar on a phone: every tab in view and readable at 390 and 360 px wide,
in English and Turkish. Screenshots in artifacts/screenshots/portal-tabs-*."""

import pytest
from django.conf import settings
from django.test import Client

from tests.browser.conftest import shot
from tests.support import journeys, personas

pytestmark = pytest.mark.browser


def signed_in_phone(browser, live_server, user, width, lang):
    client = Client()
    client.force_login(user)
    context = browser.new_context(viewport={"width": width, "height": 844}, locale="en-GB")
    context.add_cookies(
        [
            {
                "name": settings.SESSION_COOKIE_NAME,
                "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
                "url": live_server.url,
            },
            {"name": settings.LANGUAGE_COOKIE_NAME, "value": lang, "url": live_server.url},
        ]
    )
    return context


@pytest.mark.parametrize("lang", ["en", "tr"])
@pytest.mark.parametrize("width", [390, 360])
def test_every_portal_tab_is_in_view_and_unclipped_on_a_phone(
    browser, live_server, frank, width, lang
):
    patient = personas.make_patient(personas.actor(frank), given="Elif", family="Aydın")
    user = journeys.portal_user(frank, patient)
    context = signed_in_phone(browser, live_server, user, width, lang)
    try:
        page = context.new_page()
        page.goto(f"{live_server.url}/portal/")
        tabs = page.locator("nav.portal-nav a")
        assert tabs.count() == 5
        for i in range(tabs.count()):
            tab = tabs.nth(i)
            box = tab.bounding_box()
            assert box["x"] >= 0 and box["x"] + box["width"] <= width, tab.inner_text()
            assert box["height"] >= 44, tab.inner_text()  # a finger-sized target
            # the text fits its tab: nothing cut off or hidden behind a scroll
            assert tab.evaluate("a => a.scrollWidth <= a.clientWidth"), tab.inner_text()
        nav_scroll = page.evaluate(
            "(() => { const n = document.querySelector('nav.portal-nav');"
            " return n.scrollWidth <= n.clientWidth; })()"
        )
        assert nav_scroll, "the tab bar scrolls sideways"
        assert page.evaluate("document.documentElement.scrollWidth") <= width
        shot(page, f"portal-tabs-{width}-{lang}")
    finally:
        context.close()
