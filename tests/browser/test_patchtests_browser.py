"""Recording and reading a patch test in a real browser (tablet-sized), keyboard first."""

import datetime as dt
import re

from django.utils import timezone
from playwright.sync_api import expect

from mesoclinic.patchtests.models import PatchTest, Result
from tests.browser.conftest import shot, sign_in
from tests.support import personas


def local(moment):
    return timezone.localtime(moment).strftime("%Y-%m-%dT%H:%M")


def catalogue(nora, name, hours):
    """A product of the catalogue with its patch-test reading time."""
    from tests.support.products import make_product

    return make_product(
        personas.actor(nora),
        name=name,
        maker="",
        product_class="organic-silicon",
        ingredients=["silanol"],
        patch_test_reading_minutes=hours * 60,
    )


def record(pg, patient, product, applied_at):
    """The product is picked from the catalogue; its reading time is not typed."""
    pg.goto(pg.base + f"/patients/{patient.code}/")
    pg.get_by_role("link", name="Record a patch test").click()
    pg.get_by_label("Product tested").select_option(str(product.pk))
    pg.get_by_label("Where on the skin").select_option("inner_elbow")
    pg.get_by_label("Applied at").fill(local(applied_at))
    pg.get_by_label("Applied at").press("Enter")  # submits, keyboard only
    expect(pg.get_by_text(re.compile(f"Patch test to {product.name} recorded"))).to_be_visible()


def test_record_and_read_patch_tests(page, nora):
    patient = personas.make_patient(personas.actor(nora), "Şule", "Öztürk")
    sign_in(page, "nora", personas.PASSWORD)
    now = timezone.now()
    record(page, patient, catalogue(nora, "Conjonctyl", 48), now)
    expect(page.get_by_text(re.compile("Pending until"))).to_be_visible()
    page.get_by_role("link", name=re.compile("Record the reading")).click()
    expect(page.get_by_text(re.compile("Too early to read"))).to_be_visible()
    page.get_by_label(re.compile("Negative")).check()
    page.get_by_role("button", name="Save the reading").click()
    expect(page.get_by_text(re.compile("Too early: this test can be read from"))).to_be_visible()
    shot(page, "patchtest-01-too-early")
    assert PatchTest.objects.get().result == Result.PENDING

    record(page, patient, catalogue(nora, "Dermaheal", 2), now - dt.timedelta(hours=3))
    expect(
        page.get_by_text("The patch test to Dermaheal (Organic silicon) can be read now.")
    ).to_be_visible()
    page.get_by_role("link", name=re.compile("Record the reading Dermaheal")).click()
    page.get_by_label(re.compile("Positive")).check()
    page.get_by_label("Reaction seen").fill("Red itchy patch, 8 mm.")
    page.get_by_role("button", name="Save the reading").click()
    expect(
        page.get_by_role("alert").filter(has_text="Positive patch test to Dermaheal")
    ).to_be_visible()
    expect(page.get_by_text("Blocks treatment with Dermaheal (Organic silicon).")).to_be_visible()
    shot(page, "patchtest-02-chart")
