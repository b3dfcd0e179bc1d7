"""The calendar and the front desk, as Frank at the desk uses them, in English and Turkish:
book by clicking a free slot, move by drag and by keyboard, a refused move with a
clickable alternative, and checking a patient in on the front-desk home."""

import datetime as dt
import re

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import shot, sign_in
from tests.support import personas


def use_language(page, lang: str) -> None:
    if page.locator("html").get_attribute("lang") != lang:
        page.locator("#lang-select").select_option(lang)
        page.locator("form.lang button").click()
    expect(page.locator("html")).to_have_attribute("lang", lang)


@pytest.fixture
def desk(clinic_a, alice, nora, frank, adam):
    """Clinic A opens Mon-Sat 09:00-18:00; Nora and Alice treat; two rooms."""
    from mesoclinic.engine.knowledge import load
    from mesoclinic.lib import clinicday
    from mesoclinic.scheduling import resources

    act = personas.actor(adam)
    every = sorted(load().protocols)
    resources.set_opening_hours(act, "mon-sat 09:00-18:00")
    p_alice = resources.save_practitioner(act, alice, protocols=every, hours="mon-sat 09:00-18:00")
    p_nora = resources.save_practitioner(act, nora, protocols=every, hours="mon-sat 09:00-18:00")
    room1 = resources.save_room(act, name="Room 1", protocols=every)
    room2 = resources.save_room(act, name="Room 2", protocols=every)
    today = clinicday.today(clinic_a)
    day = today + dt.timedelta(days=1)
    while day.weekday() == 6:  # the clinic is closed on Sundays
        day += dt.timedelta(days=1)
    return {
        "alice": p_alice,
        "nora": p_nora,
        "room1": room1,
        "room2": room2,
        "day": day,
        "today": today,
    }


def _slot(page, desk, who: str, hhmm: str):
    return page.locator(
        f'a.slot[data-time="{hhmm}"][data-practitioner="{desk[who].code}"]'
        f'[data-date="{desk["day"].isoformat()}"]'
    )


def _local(a, clinic) -> str:
    from mesoclinic.lib import clinicday

    return f"{clinicday.local(a.start, clinic):%H:%M}"


@pytest.mark.parametrize("lang", ["en", "tr"])
def test_book_by_clicking_a_free_slot_then_move_by_drag_keyboard_and_alternative(
    page, desk, frank, alice, clinic_a, lang
):
    from mesoclinic.scheduling import actions
    from mesoclinic.scheduling.models import Appointment

    elif_ = personas.make_patient(personas.actor(alice), given="Elif", family="Aydın")
    other = personas.make_patient(personas.actor(alice), given="Deniz", family="Kaya")
    from mesoclinic.lib import clinicday

    # Deniz is with Alice in Room 1 at 12:00: Room 1 is taken then
    actions.book_appointment(
        personas.actor(frank),
        other,
        protocol="face-mesolift",
        start=clinicday.aware(desk["day"], dt.time(12), clinic_a),
        practitioner=desk["alice"],
        room=desk["room1"],
        appointment_type="consultation",
    )
    sign_in(page, "frank", personas.PASSWORD)
    use_language(page, lang)
    page.goto(f"{page.base}/scheduling/calendar?on={desk['day'].isoformat()}")
    expect(page.locator(".appt")).to_have_count(1)
    shot(page, f"calendar-{lang}-01-day")

    # book: click Nora's free 10:00, find Elif, choose her, book a treatment session
    _slot(page, desk, "nora", "10:00").click()
    expect(page.locator("input[name=time]")).to_have_value("10:00")
    page.locator("#book-q").fill("elif ayd")
    page.locator("form[role=search] button").click()
    page.get_by_role("link", name=re.compile("Elif Aydın")).click()
    page.locator("select[name=protocol]").select_option("face-mesolift")
    shot(page, f"calendar-{lang}-02-book")
    page.locator("form[method=post] button.primary").click()
    expect(page.locator(".appt")).to_have_count(2)
    booked = Appointment.objects.get(patient=elif_)
    assert booked.practitioner == desk["nora"] and _local(booked, clinic_a) == "10:00"
    assert booked.room == desk["room1"]  # "any free": the first room free then
    shot(page, f"calendar-{lang}-03-booked")

    # move by drag: Elif's block onto Nora's 11:00 (both in view: a real mouse drag)
    block = page.locator(f'.appt[data-code="{booked.code}"]')
    target = _slot(page, desk, "nora", "11:00")
    with page.expect_navigation():
        block.drag_to(target, source_position={"x": 8, "y": 8})
    expect(page.locator(".messages .msg-success")).to_be_visible()
    booked.refresh_from_db()
    assert _local(booked, clinic_a) == "11:00"
    shot(page, f"calendar-{lang}-04-dragged")

    # move by keyboard: her "Move" button, then Nora's 16:00, with Enter
    page.locator(f'.appt[data-code="{booked.code}"] button[data-move]').focus()
    page.keyboard.press("Enter")
    expect(page.locator("#move-status")).not_to_be_empty()
    shot(page, f"calendar-{lang}-05-moving")
    _slot(page, desk, "nora", "16:00").focus()
    with page.expect_navigation():
        page.keyboard.press("Enter")
    expect(page.locator(".messages .msg-success")).to_be_visible()
    booked.refresh_from_db()
    assert _local(booked, clinic_a) == "16:00"

    # a refused move: Nora is free at 12:00 but Room 1 is not; nothing moves
    page.locator(f'.appt[data-code="{booked.code}"] button[data-move]').click()
    _slot(page, desk, "nora", "12:00").click()
    refusal = page.locator("#refusal")
    expect(refusal).to_be_visible()
    booked.refresh_from_db()
    assert _local(booked, clinic_a) == "16:00"
    shot(page, f"calendar-{lang}-06-refused")
    alternatives = refusal.locator("button.alt")
    assert alternatives.count() >= 2
    texts = [alternatives.nth(i).inner_text() for i in range(alternatives.count())]
    first = texts[0]
    alternatives.first.click()
    expect(page.locator(".messages .msg-success")).to_be_visible()
    booked.refresh_from_db()
    assert _local(booked, clinic_a) in first
    shot(page, f"calendar-{lang}-07-alternative-taken")

    # the week of one room, and the view by room: the alternative taken may be on another
    # day than the one shown (the earliest free time, today when the test runs on a
    # Saturday), so the week is the one it landed in
    landed = clinicday.local_date(booked.start, clinic_a)
    page.goto(
        f"{page.base}/scheduling/calendar?view=week&by=practitioner&owner={desk['nora'].code}"
        f"&on={landed.isoformat()}"
    )
    expect(page.locator(f'.appt[data-code="{booked.code}"]')).to_be_visible()
    shot(page, f"calendar-{lang}-08-week")


@pytest.mark.parametrize("lang", ["en", "tr"])
def test_front_desk_home_check_in_and_into_the_room(page, desk, frank, alice, clinic_a, lang):
    from django.utils import timezone

    from mesoclinic.scheduling.models import Appointment

    elif_ = personas.make_patient(personas.actor(alice), given="Elif", family="Aydın")
    # today's appointment, whatever the hour the test runs (written directly: the booking
    # rules, which refuse a time outside opening hours, have their own tests)
    start = timezone.now() + dt.timedelta(minutes=30)
    from mesoclinic.lib import clinicday

    if clinicday.local_date(start, clinic_a) != desk["today"]:
        start = timezone.now()
    a = Appointment.objects.create(
        clinic=clinic_a,
        patient=elif_,
        protocol="face-mesolift",
        appointment_type="treatment",
        practitioner=desk["nora"],
        room=desk["room2"],
        start=start,
        end=start + dt.timedelta(minutes=45),
    )
    sign_in(page, "frank", personas.PASSWORD)
    expect(page).to_have_url(re.compile(r"/scheduling/desk"))
    use_language(page, lang)
    row = page.locator(".desk-row", has_text="Elif Aydın")
    expect(row).to_be_visible()
    shot(page, f"desk-{lang}-01-home")
    row.locator("button[value=arrived]").click()
    expect(page.locator(".messages .msg-success")).to_be_visible()
    a.refresh_from_db()
    assert a.arrived_at is not None
    page.locator(".desk-row", has_text="Elif Aydın").locator("button[value=in_room]").click()
    rooms = page.locator("section[aria-labelledby=h-rooms]")
    expect(rooms).to_contain_text("Room 2")
    expect(rooms).to_contain_text("Elif Aydın")
    shot(page, f"desk-{lang}-02-in-room")


@pytest.mark.parametrize("width", [390, 820])
def test_calendar_and_desk_on_a_phone_and_a_tablet(browser, live_server, desk, frank, width):
    context = browser.new_context(viewport={"width": width, "height": 900}, locale="en-GB")
    page = context.new_page()
    page.base = live_server.url
    errors = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    sign_in(page, "frank", personas.PASSWORD)
    shot(page, f"desk-{width}px")
    page.goto(f"{page.base}/scheduling/calendar?on={desk['day'].isoformat()}")
    expect(_slot(page, desk, "nora", "10:00")).to_be_attached()
    shot(page, f"calendar-{width}px")
    # the page itself does not scroll sideways: the grid scrolls inside its frame
    assert page.evaluate("document.documentElement.scrollWidth") <= width + 1
    context.close()
    assert not errors, errors
