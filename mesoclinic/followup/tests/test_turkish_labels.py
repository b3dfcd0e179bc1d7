"""No raw knowledge key reaches a user: the main staff and portal pages, rendered in
Turkish, show protocol titles, symptom words and triage levels in Turkish, never ids such
as `face-mesolift`, `redness` or `urgent`."""

import datetime as dt
import re
from html.parser import HTMLParser

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import translation

from mesoclinic.engine.knowledge import load
from mesoclinic.followup import actions
from mesoclinic.followup.models import CheckIn
from tests.support import journeys, personas

from .conftest import NOW

pytestmark = pytest.mark.django_db


class _Text(HTMLParser):
    """The text a reader sees: no markup, attributes, scripts or styles."""

    def __init__(self):
        super().__init__()
        self.parts, self._skip = [], 0

    def handle_starttag(self, tag, attrs):
        self._skip += tag in ("script", "style")

    def handle_endtag(self, tag):
        self._skip -= tag in ("script", "style") and self._skip > 0

    def handle_data(self, data):
        if not self._skip:
            self.parts.append(data)


def visible_text(html: str) -> list[str]:
    parser = _Text()
    parser.feed(html)
    return [part for part in parser.parts if part.strip()]


def raw_keys() -> tuple[set[str], set[str]]:
    """Ids that are never words (`face-mesolift`, `warmth_spreading`), and ids that are also
    English words (`redness`, `urgent`): those count only when shown on their own, as a
    badge or an item of a short list, not inside a sentence (a stored advice is written in
    the patient's own language, English here)."""
    k = load()
    levels = {"expected", "contact_clinic", "urgent", "emergency"}
    decisions = {"eligible", "defer", "review", "contraindicated"}
    keys = {*k.protocols, *k.messages.symptoms, *k.product_classes, *levels, *decisions}
    ids = {key for key in keys if "-" in key or "_" in key}
    return ids, keys - ids


def leaked(html: str) -> list[str]:
    ids, words = raw_keys()
    found = set()
    for node in visible_text(html):
        found |= {key for key in ids if re.search(rf"(?<![\w-]){re.escape(key)}(?![\w-])", node)}
        if len(node.split()) <= 6:  # a badge or a list, not a sentence
            found |= {piece.strip() for piece in re.split(r"[·,:()]", node)} & words
    return sorted(found)


@pytest.fixture(autouse=True)
def _back_to_english():
    """The Turkish requests leave Turkish active in this thread: not for the next test."""
    yield
    translation.activate("en")


def turkish(user) -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE="tr")
    client.force_login(user)
    client.cookies["django_language"] = "tr"
    return client


@pytest.fixture
def history(nora, frank, adam, plan, session, later):
    """A signed session with an urgent side effect (pus, spreading warmth), an answered
    check-in reporting redness and swelling, and the next session booked."""
    later(days=1)
    checkin = CheckIn.objects.filter(session=session).order_by("due_at").first()
    later(days=(checkin.due_at - NOW).days + 1)
    actions.answer_checkin(
        personas.actor(session.patient.portal_account.user)
        if hasattr(session.patient, "portal_account")
        else personas.actor(nora),
        checkin,
        symptoms=["redness", "swelling"],
        severity="mild",
    )
    event = actions.report_side_effect(
        personas.actor(nora),
        session,
        symptoms=["pus", "warmth_spreading"],
        severity="moderate",
        fever=True,
    )
    practitioner, room = journeys.scheduling_setup(adam)
    start = dt.datetime.combine(
        dt.date.today() + dt.timedelta(days=30), dt.time(10), tzinfo=NOW.tzinfo
    )
    appointment = journeys.book(frank, plan, start, practitioner, room, number=2)
    return {"event": event, "checkin": checkin, "appointment": appointment}


def test_staff_pages_in_turkish_show_no_raw_key(alice, patient, plan, session, history):
    client = turkish(alice)
    pages = {
        "chart": reverse("patients:chart", args=[patient.code]),
        # the chart's lower panels and timeline load after it: the whole chart at once
        "chart, whole": reverse("patients:chart", args=[patient.code]) + "?full=1",
        "plan": reverse("treatments:plan", args=[plan.code]),
        "session": reverse("treatments:session", args=[session.code]),
        "screening": reverse("screening:detail", args=[plan.screening.code]),
        "alerts": reverse("followup:alerts"),
        "register": reverse("followup:register"),
        "event": reverse("followup:event", args=[history["event"].code]),
        "appointment": reverse("scheduling:appointment", args=[history["appointment"].code]),
        "schedule": reverse("scheduling:patient", args=[patient.code]),
        "templates": reverse("treatments:templates"),
    }
    found = {}
    for name, url in pages.items():
        page = client.get(url)
        assert page.status_code == 200, (name, page.status_code)
        assert 'lang="tr"' in page.content.decode()[:300], name
        if bad := leaked(page.content.decode()):
            found[name] = bad
    assert found == {}
    assert "Bu bölümü göster" in client.get(pages["chart"]).content.decode()  # placeholders


def test_portal_pages_in_turkish_show_no_raw_key(frank, patient, session, history):
    user = journeys.portal_user(frank, patient)
    client = turkish(user)
    pages = {
        "home": reverse("portal:home"),
        "appointments": reverse("portal:appointments"),
        "aftercare list": reverse("portal:aftercare_list"),
        "aftercare": reverse("portal:aftercare", args=[session.code]),
        "check-ins": reverse("portal:checkins"),
        "check-in": reverse("portal:checkin", args=[history["checkin"].code]),
        "report result": reverse("portal:report_result", args=[history["event"].code]),
    }
    found = {}
    for name, url in pages.items():
        page = client.get(url)
        assert page.status_code == 200, (name, page.status_code)
        if bad := leaked(page.content.decode()):
            found[name] = bad
    assert found == {}


def test_the_check_finds_a_raw_key_in_text_but_not_in_markup():
    assert leaked('<p>Yüz <a href="/x?protocol=face-mesolift">face-mesolift</a> urgent</p>') == [
        "face-mesolift",
        "urgent",
    ]
    assert leaked('<p class="result-urgent" data-p="face-mesolift">Acil</p>') == []
