"""Issue 15: the persona x URL matrix over every route the URL resolver knows.

Every route is listed here with the kind of object its code names (or as a route with no
object), so a route added without an entry fails `test_every_route_is_in_the_matrix`,
naming it. Each route is then asked for, GET and an empty POST, by every persona: each
staff role of the clinic, a staff member of another clinic, the patient, another patient
of the same clinic, and an anonymous visitor. What must hold:

- nobody ever gets a server error;
- anonymous: nothing but the public routes answers 2xx (a sign-in redirect, 403 or 404);
- another clinic: no route naming this clinic's object answers 2xx or redirects after a
  POST, and nothing is written;
- another patient (and the patient on staff pages): no 2xx on a route naming the patient's
  objects or a staff page, and nothing is written.

The counts (requests, held, failed) are printed with -s and recorded in docs/benchmarks.md.
"""

import datetime as dt
import uuid
from collections import Counter

import pytest
from django.apps import apps
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from mesoclinic.audit.models import AuditEvent
from tests.support import journeys, personas

# route -> the model whose code fills its UUID arguments (None: the route has no object)
ROUTES: dict[str, str | None] = {
    "core:home": None, "core:healthz": None, "set_language": None,
    "accounts:login": None, "accounts:logout": None, "accounts:clinic": None,
    "patients:list": None, "patients:register": None,
    "patients:chart": "patients.Patient", "patients:edit": "patients.Patient",
    "patients:intake": "patients.Patient", "audit:list": None,
    "patients:chart_part": "patients.Patient",
    "outbox:failed": None, "outbox:try_again": "outbox.Message",
    "outbox:handled": "outbox.Message",
    "screening:new": "patients.Patient", "screening:detail": "screening.ScreeningRecord",
    "screening:override": "screening.ScreeningRecord",
    "patchtests:record": "patients.Patient", "patchtests:read": "patchtests.PatchTest",
    "patchtests:void": "patchtests.PatchTest",
    "consent:sign": "patients.Patient", "consent:check": "patients.Patient",
    "consent:detail": "consent.Consent", "consent:withdraw": "consent.Consent",
    "products:list": None, "products:create": None, "products:low_stock": None,
    "products:detail": "products.Product", "products:edit": "products.Product",
    "products:receive": "products.Product", "products:lot": "products.Lot",
    "products:open": "products.Lot", "products:adjust": "products.Lot",
    "products:discard": "products.Lot", "products:recall": "products.Lot",
    "treatments:plan_new": "patients.Patient", "treatments:plan": "treatments.TreatmentPlan",
    "treatments:start": "treatments.TreatmentPlan",
    "treatments:session": "treatments.TreatmentSession",
    "treatments:point_add": "treatments.TreatmentSession",
    "treatments:details": "treatments.TreatmentSession",
    "treatments:copy_forward": "treatments.TreatmentSession",
    "treatments:sign": "treatments.TreatmentSession",
    "treatments:amend": "treatments.TreatmentSession",
    "treatments:point_move": "treatments.SessionPoint",
    "treatments:point_remove": "treatments.SessionPoint",
    "treatments:template_save": "treatments.TreatmentSession",
    "treatments:template_apply": "treatments.TreatmentSession",
    "treatments:templates": None, "treatments:exposure": "products.Lot",
    "scheduling:day": None, "scheduling:week": None, "scheduling:calendar": None,
    "scheduling:desk": None, "scheduling:arrival": "scheduling.Appointment",
    "scheduling:calendar_move": None, "scheduling:calendar_book": None,
    "scheduling:book_plan": "treatments.TreatmentPlan", "scheduling:patient": "patients.Patient",
    "scheduling:book_one": "patients.Patient", "scheduling:waiting_add": "patients.Patient",
    "scheduling:feed_create": "patients.Patient",
    "scheduling:appointment": "scheduling.Appointment",
    "scheduling:move": "scheduling.Appointment", "scheduling:cancel": "scheduling.Appointment",
    "scheduling:attendance": "scheduling.Appointment", "scheduling:waiting": None,
    "scheduling:waiting_book": "scheduling.WaitingListEntry",
    "scheduling:waiting_remove": "scheduling.WaitingListEntry",
    "scheduling:setup": None, "scheduling:setup_save": None,
    "scheduling:practitioner_feed": "scheduling.Practitioner",
    "scheduling:feed_revoke": "scheduling.CalendarToken", "scheduling:feed": None,
    "education:list": None, "education:ask": None,
    "education:approve": "education.ArticleVersion", "education:detail": None,
    "education:edit": None,
    "photos:gallery": "patients.Patient", "photos:consent": "patients.Patient",
    "photos:upload": "patients.Patient", "photos:compare": "patients.Patient",
    "photos:withdraw": "photos.PhotoConsent", "photos:detail": "photos.Photo",
    "photos:file": "photos.Photo", "photos:aligned": "photos.Photo",
    "followup:alerts": None, "followup:alerts_badge": None,
    "followup:acknowledge": "followup.ClinicAlert", "followup:register": None,
    "followup:register_csv": None, "followup:event": "followup.AdverseEvent",
    "followup:event_photo": "followup.AdverseEvent",
    "followup:checkin_photo": "followup.CheckIn",
    "followup:report": "treatments.TreatmentSession",
    "followup:gais": "treatments.TreatmentSession",
    "followup:aftercare": "treatments.TreatmentSession",
    "portal:home": None, "portal:accept": None, "portal:intake": None,
    "portal:consents": None, "portal:consent_sign": "consent.Consent",
    "portal:appointments": None, "portal:appointment_change": "scheduling.Appointment",
    "portal:aftercare_list": None, "portal:aftercare": "treatments.TreatmentSession",
    "portal:checkins": None, "portal:checkin": "followup.CheckIn", "portal:report": None,
    "portal:report_result": "followup.AdverseEvent",
    "portal:rate": "treatments.TreatmentSession", "portal:ask": None,
    "portal:profile": None, "portal:progress": None, "portal:record_reads": None,
    "portal:invite": "patients.Patient", "portal:staff_requests": None,
    "portal:handle_request": "portal.AppointmentChangeRequest",
    # issue 14: the clinic's logo (not patient data), passwords, set-up, staff, two-factor
    "accounts:logo": None, "accounts:password_change": None,
    "accounts:password_change_done": None, "accounts:password_reset": None,
    "accounts:password_reset_done": None, "accounts:password_reset_confirm": None,
    "accounts:password_reset_complete": None,
    "staff:setup": None, "staff:list": None, "staff:accept": None,
    "staff:role": "accounts.User", "staff:deactivate": "accounts.User",
    "staff:reactivate": "accounts.User", "staff:unlock": "accounts.User",
    "staff:two_factor_reset": "accounts.User", "staff:two_factor_setup": None,
    "staff:two_factor_verify": None,
    # issue 16: documents as PDF, erasure
    "documents:consent": "consent.Consent", "documents:session": "treatments.TreatmentSession",
    "documents:aftercare": "treatments.TreatmentSession", "documents:summary": "patients.Patient",
    "erasure:confirm": "patients.Patient", "erasure:retention": None,
    # issue 16: the FHIR API (resource ids are codes), its tokens, the patient's copy
    "fhir:metadata": None, "fhir:everything": "patients.Patient",
    "fhir:read": "patients.Patient", "fhir:search": None,
    "fhir:tokens": None, "fhir:revoke": "fhir.ApiToken",
    "records:mine": None, "records:patient_copy": "patients.Patient",
    # issue 17: money and the owner's dashboard
    "billing:home": None, "billing:close": None, "billing:export": None,
    "billing:prices": None, "billing:account": "patients.Patient",
    "billing:pay": "patients.Patient", "billing:panel": "patients.Patient",
    "billing:invoice_session": "treatments.TreatmentSession",
    "billing:sell_package": "treatments.TreatmentPlan", "billing:invoice": "billing.Invoice",
    "billing:invoice_pdf": "billing.Invoice", "billing:credit": "billing.Invoice",
    "billing:refund": "billing.Payment", "billing:deposit": "scheduling.Appointment",
    "dashboard:home": None, "dashboard:dashboard": None, "dashboard:sessions": None,
    "dashboard:payments": None, "dashboard:no_shows": None, "dashboard:outcomes": None,
}  # fmt: skip
# the patient's own pages outside /portal/ (her own copy of her records)
OWN_PAGES = {"records:mine"}
# answer anyone, signed in or not: the front door, sign-in, language, health, the secret links
PUBLIC = {
    "core:home", "core:healthz", "set_language", "accounts:login", "accounts:logout",
    "scheduling:feed", "portal:accept",
    # the logo shows on the sign-in page; a password is changed by whoever is signed in (a
    # patient too) and reset by whoever has the address; an invitation link is its own key
    "accounts:logo", "accounts:password_change", "accounts:password_change_done",
    "accounts:password_reset", "accounts:password_reset_done",
    "accounts:password_reset_confirm", "accounts:password_reset_complete", "staff:accept",
    "fhir:metadata",  # the CapabilityStatement: what the server can do, no data
}  # fmt: skip
# the non-UUID arguments a route needs
OTHER_ARGS = {
    "scheduling:setup_save": {"what": "rooms"},
    "patients:chart_part": {"part": "treatments"},
    "scheduling:feed": {"secret": "not-a-real-secret"},
    "education:detail": {"slug": "no-such-article"},
    "education:edit": {"slug": "no-such-article"},
    "photos:file": {"kind": "full"},
    "photos:aligned": {"which": "before"},
    "portal:accept": {"token": "not-a-real-token"},
    "staff:accept": {"secret": "not-a-real-secret"},
    "accounts:password_reset_confirm": {"uidb64": "MQ", "token": "not-a-real-token"},
    "fhir:read": {"resource_type": "Patient"},
    "fhir:search": {"resource_type": "Patient"},
}
OK = set(range(200, 300)) - {204}  # 204: nothing to show (the alert badge for non-staff)
TALLY: Counter = Counter()


def _routes() -> dict[str, URLPattern]:
    found = {}

    def walk(patterns, ns=""):
        for p in patterns:
            if isinstance(p, URLResolver):
                walk(p.url_patterns, ns + (f"{p.namespace}:" if p.namespace else ""))
            elif isinstance(p, URLPattern) and p.name:
                found[ns + p.name] = p

    walk(get_resolver().url_patterns)
    return found


def test_every_route_is_in_the_matrix():
    routes = set(_routes())
    uncovered = sorted(routes - set(ROUTES))
    assert not uncovered, "routes not in the persona x URL matrix: " + ", ".join(uncovered)
    assert not sorted(set(ROUTES) - routes), "matrix entries for routes that no longer exist"


def _url(name: str, pattern: URLPattern, code) -> str:
    kwargs = dict(OTHER_ARGS.get(name, {}))
    for key, conv in pattern.pattern.converters.items():
        if key not in kwargs:
            uuid_arg = type(conv).__name__ == "UUIDConverter" or key == "resource_id"
            kwargs[key] = (str(code) if key == "resource_id" else code) if uuid_arg else "x"
    return reverse(name, kwargs=kwargs)


def _writes() -> int:
    return AuditEvent.objects.filter(
        action__in=["create", "update", "sign", "override", "delete"]
    ).count()


@pytest.fixture
def world(alice, nora, frank, adam, patient, session, lot, booster, ayse, zeynep):
    """Ayşe's records in clinic A: a plan, a signed session with its points, aftercare and
    check-ins, an appointment, a calendar feed, a photo consent; every object a route
    names is taken from here (a kind not built here is asked for with a made-up code)."""
    from mesoclinic.photos.actions import record_consent
    from mesoclinic.scheduling.resources import create_feed

    practitioner, room = journeys.scheduling_setup(adam)
    start = dt.datetime(2026, 12, 20, 9, 0, tzinfo=dt.UTC)
    journeys.book(frank, session.plan, start, practitioner, room, number=2)
    create_feed(personas.actor(nora), patient=patient)
    record_consent(
        personas.actor(nora), patient, scope="patient", signer_name="Ayşe", signed_on=start.date()
    )
    codes = {}
    for label in {m for m in ROUTES.values() if m}:
        model = apps.get_model(label)
        row = model.objects.order_by("pk").first()
        codes[label] = row.code if row is not None else uuid.uuid4()
    return codes


PERSONAS = ["alice", "nora", "frank", "adam", "charlie", "ayse", "zeynep", "anonymous"]


@pytest.mark.parametrize("persona", PERSONAS)
def test_persona_by_route(request, client, world, persona):
    routes = _routes()
    user = None if persona == "anonymous" else request.getfixturevalue(persona)
    failures = []
    for name in sorted(ROUTES):
        pattern = routes[name]
        url = _url(name, pattern, world.get(ROUTES[name]) or uuid.uuid4())
        for method in ("get", "post"):
            client.logout()
            if user is not None:
                client.force_login(user)
            before = _writes()
            try:
                status = getattr(client, method)(url).status_code
            except Exception as exc:  # noqa: BLE001 - a crash is a finding, listed below
                status = f"{type(exc).__name__}: {exc}"[:120]
            wrote = _writes() - before
            problem = ""
            if not isinstance(status, int) or status >= 500:
                problem = "server error"
            elif persona == "anonymous" and name not in PUBLIC and status in OK:
                problem = "answered an anonymous visitor"
            elif (
                persona == "charlie"
                and ROUTES[name]
                and (status in OK or (method == "post" and status in (301, 302, 303)))
            ):
                problem = "answered another clinic"
            elif persona in ("charlie", "anonymous") and wrote:
                problem = f"wrote {wrote} record(s)"
            elif (
                persona == "zeynep"
                and wrote
                and (ROUTES[name] or not (name.startswith("portal:") or name in OWN_PAGES))
            ):
                problem = f"wrote {wrote} record(s)"  # her own portal pages write her own
            elif (
                persona == "zeynep"
                and name not in PUBLIC
                and status in OK
                and (ROUTES[name] or not (name.startswith("portal:") or name in OWN_PAGES))
            ):
                problem = "answered another patient"
            TALLY[(persona, "held" if not problem else "failed")] += 1
            if problem:
                failures.append(f"{method.upper()} {name} {url} -> {status}: {problem}")
    total = len(ROUTES) * 2
    print(
        f"\nmatrix {persona}: {total} requests, {total - len(failures)} held, {len(failures)} failed"
    )
    assert not failures, "\n".join(failures)
