"""The photo compare page and the trends in a real browser (tablet), in English and Turkish,
with the real landmark model of the default install (mediapipe 0.10.21): the region outlines
over the earlier photo, the note that two photos are not comparable, and the per-region
trend on the gallery. Screenshots: artifacts/screenshots/photos-*."""

import datetime as dt
import io

import numpy as np
import pytest
from PIL import Image
from playwright.sync_api import expect

from mesoclinic.engine.photo.face import landmark_package_status
from mesoclinic.photos import actions
from tests.browser.conftest import shot, sign_in
from tests.browser.test_calendar_browser import use_language
from tests.support import personas

TODAY = dt.date.today()


def _jpeg(rgb: np.ndarray) -> bytes:
    buf = io.BytesIO()
    Image.fromarray(rgb).save(buf, "JPEG", quality=92)
    return buf.getvalue()


@pytest.fixture
def visits(settings, tmp_path, nora, patient):
    """Two front photos of the same face a month apart, the second under less light."""
    from skimage import data

    if landmark_package_status() is not None:
        pytest.fail(f"the default install has landmarks: {landmark_package_status()}")
    settings.PHOTOS_ROOT = tmp_path / "photos"
    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}
    act = personas.actor(nora)
    actions.record_consent(act, patient, scope="patient", signer_name=patient.full_name,
                           signed_on=TODAY)  # fmt: skip
    face = data.astronaut()
    first = actions.upload_photo(act, patient, data=_jpeg(face), view="front",
                                 taken_on=TODAY - dt.timedelta(days=30))  # fmt: skip
    darker = (face.astype(np.float32) * 0.6).astype(np.uint8)
    second = actions.upload_photo(act, patient, data=_jpeg(darker), view="front",
                                  taken_on=TODAY)  # fmt: skip
    return patient, first, second


@pytest.mark.parametrize("lang", ["en", "tr"])
def test_compare_shows_the_regions_and_says_the_photos_are_not_comparable(page, visits, lang):
    patient, first, second = visits
    sign_in(page, "nora", personas.PASSWORD)
    use_language(page, lang)
    page.goto(page.base + f"/photos/patients/{patient.code}/compare?a={first.code}&b={second.code}")
    expect(page.locator("html")).to_have_attribute("lang", lang)
    outline = page.locator("svg.regions")
    expect(outline).to_be_visible()
    assert outline.locator("polygon").count() >= 7
    note = page.get_by_role("note")
    expect(note).to_be_visible()
    expect(note).to_contain_text(
        "These two photos are not comparable" if lang == "en" else "karşılaştırılabilir değil"
    )
    shot(page, f"photos-compare-{lang}")
    page.goto(page.base + f"/photos/patients/{patient.code}/")
    trends = page.locator("svg.trend")
    expect(trends.first).to_be_visible()
    # one line per measured region on the pigmented-area chart
    assert page.locator("svg.trend").first.locator("polyline").count() >= 2
    shot(page, f"photos-trends-{lang}")
