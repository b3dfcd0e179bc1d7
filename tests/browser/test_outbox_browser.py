"""A message the outbox gave up on, as a physician meets it: the number in the navigation,
the list of messages that could not be sent, "Try again" once the cause is fixed.
Screenshots in artifacts/screenshots/outbox-*."""

import datetime as dt

import pytest
from playwright.sync_api import expect

from mesoclinic.outbox import actions, sms
from mesoclinic.outbox.models import Message, MessageStatus
from tests.browser.conftest import shot, sign_in
from tests.support import personas

pytestmark = pytest.mark.browser


def test_a_physician_sees_an_unsent_message_and_sends_it_again(page, settings, alice):  # noqa: F811
    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}
    settings.SMS_BACKEND = "mesoclinic.outbox.sms.LocmemBackend"
    sms.outbox.clear()
    patient = personas.make_patient(
        personas.actor(alice), given="Elif", family="Aydın", phone="+90 555 123 4567"
    )
    made = actions.create(
        f"test:{patient.code}",
        "offer",  # a waiting-list offer (scheduling's kind)
        dt.datetime.now(dt.UTC) + dt.timedelta(days=1),  # not sent at once: made failed below
        clinic=patient.clinic,
        patient=patient,
        channel="sms",
        params={"protocol": "face-mesolift", "start": 1796110200},
    )
    Message.objects.filter(code=made.code).update(
        status=MessageStatus.FAILED,
        attempts=30,
        to=patient.phone,
        error="not sent after 30 attempts: ConnectionError: provider down",
    )
    sign_in(page, "alice", personas.PASSWORD)
    link = page.locator("[data-failed-messages]")
    expect(link).to_contain_text("Unsent messages")
    expect(link).to_contain_text("1")
    link.click()
    expect(page.get_by_role("heading", name="Messages that could not be sent")).to_be_visible()
    expect(page.get_by_role("row", name="Elif")).to_contain_text("provider down")
    shot(page, "outbox-failed-list")
    page.get_by_role("button", name="Try again").click()
    expect(page.get_by_text("The message will be sent again in a moment.")).to_be_visible()
    expect(page.get_by_text("No message has failed.")).to_be_visible()
    expect(page.locator("[data-failed-messages]")).to_have_count(0)
    shot(page, "outbox-failed-list-empty")
    assert Message.objects.get(code=made.code).status == MessageStatus.SENT
    assert [t["to"] for t in sms.outbox] == ["+90 555 123 4567"]
