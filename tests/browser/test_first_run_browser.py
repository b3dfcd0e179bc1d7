"""Issue 14's journey on a freshly migrated, empty database (no demo): the set-up page ->
the first clinic admin -> the clinic requires two-factor for physicians -> invite a
physician -> the physician accepts and sets up two-factor -> registers the first patient.
In English and Turkish, a screenshot of each page, every interaction counted (the count
and an estimate of a person's minutes are in docs/benchmarks.md)."""

import base64
import re

import pytest
from django.core import mail
from django_otp.oath import totp
from playwright.sync_api import expect

from mesoclinic.accounts.models import Clinic, User
from mesoclinic.outbox import delivery
from mesoclinic.outbox.models import Message
from tests.browser.conftest import shot

PASSWORD = "a long clinic passphrase 77"
PHYSICIAN_PASSWORD = "violet-harbour-kettle-49"
WORDS = {
    "en": {"ready": "Your clinic is ready", "sent": "Invitation sent", "patient": "Register"},
    "tr": {"ready": "Kliniğiniz hazır", "sent": "Davet", "patient": "Kaydet"},
}


class Counter:
    """Every click, key entry and choice a person makes, counted."""

    def __init__(self, page):
        self.page, self.n = page, 0

    def fill(self, selector: str, value: str):
        self.n += 1
        self.page.locator(selector).fill(value)

    def click(self, selector: str):
        self.n += 1
        self.page.locator(selector).first.click()

    def select(self, selector: str, value: str):
        self.n += 1
        self.page.locator(selector).select_option(value)

    def check(self, selector: str):
        self.n += 1
        self.page.locator(selector).check()


def _code_from_key(key: str) -> str:
    raw = key.replace(" ", "")
    secret = base64.b32decode(raw + "=" * (-len(raw) % 8))
    return f"{totp(secret, step=30, t0=0, digits=6):06d}"


@pytest.mark.parametrize("lang", ["en", "tr"])
def test_fresh_install_to_first_patient(page, lang, transactional_db):
    assert not Clinic.objects.exists() and not User.objects.exists()
    w = WORDS[lang]
    act = Counter(page)
    page.goto(page.base + "/accounts/login")  # the home page's "Sign in"
    expect(page).to_have_url(re.compile(r"/staff/setup$"))
    if lang == "tr":
        act.select("#lang-select", "tr")
        act.click("form.lang button")
        expect(page.locator("html")).to_have_attribute("lang", "tr")
    act.fill("[name=name]", "Moda Cilt Kliniği")
    act.fill("[name=address]", "Moda Cd. 5, Kadıköy, İstanbul")
    act.fill("[name=phone]", "+90 216 555 01 01")
    act.fill("[name=username]", "derya")
    act.fill("[name=email]", "derya@example.org")
    act.fill("[name=password1]", PASSWORD)
    act.fill("[name=password2]", PASSWORD)
    shot(page, f"first-run-01-setup-{lang}")
    act.click("form.card button[type=submit]")
    expect(page.get_by_text(w["ready"])).to_be_visible()
    shot(page, f"first-run-02-staff-{lang}")

    # the clinic requires two-factor sign-in for physicians
    page.goto(page.base + "/accounts/clinic")
    act.n += 1  # the "Clinic" link
    act.check("input[name=two_factor_roles][value=physician]")
    act.click("form.card button[type=submit]")
    page.goto(page.base + "/staff/")
    act.n += 1  # the "Staff" link
    act.fill("#id_email", "deniz@example.org")
    act.select("#id_role", "physician")
    act.click("form.card button[type=submit]")
    expect(page.get_by_text(w["sent"]).first).to_be_visible()
    shot(page, f"first-run-03-invited-{lang}")
    message = Message.objects.get(kind="staff_invitation")
    assert delivery.deliver(message.pk) == "sent"  # the worker's job
    link = re.search(r"http://\S+/staff/join/\S+", mail.outbox[-1].body)[0]
    act.click("header form button[type=submit]")  # sign out

    # the physician opens the e-mail's link
    act.n += 1  # the link in the e-mail
    page.goto(page.base + re.sub(r"^https?://[^/]+", "", link))
    act.fill("[name=first_name]", "Deniz")
    act.fill("[name=last_name]", "Kaya")
    act.fill("[name=username]", "deniz")
    act.fill("[name=password1]", PHYSICIAN_PASSWORD)
    act.fill("[name=password2]", PHYSICIAN_PASSWORD)
    shot(page, f"first-run-04-accept-{lang}")
    act.click("form.card button[type=submit]")
    expect(page).to_have_url(re.compile(r"/staff/two-factor/setup"))  # required for physicians
    expect(page.locator("figure.qr svg")).to_be_visible()
    shot(page, f"first-run-05-two-factor-{lang}")
    key = page.locator("#otp-key").inner_text()
    act.n += 1  # scanning the code with the phone
    act.fill("[name=token]", _code_from_key(key))
    act.click("form.card button[type=submit]")
    expect(page.locator(".recovery-codes li")).to_have_count(10)
    shot(page, f"first-run-06-recovery-codes-{lang}")
    act.click("main a.button.primary")

    # the first patient
    page.goto(page.base + "/patients/")
    act.n += 1  # the "Patients" link
    act.click("a[href$='/patients/new']")
    act.fill("[name=given_name]", "Ayşe")
    act.fill("[name=family_name]", "Yılmaz")
    act.fill("[name=birth_date]", "1988-03-02")
    act.fill("[name=phone]", "0532 444 55 66")
    shot(page, f"first-run-07-register-{lang}")
    act.click("main form button[type=submit]")
    expect(page.get_by_role("heading", name="Ayşe Yılmaz")).to_be_visible()
    shot(page, f"first-run-08-patient-{lang}")
    print(f"\nfirst-run journey ({lang}): {act.n} interactions")
    assert act.n <= 40
