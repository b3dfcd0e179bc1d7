"""Issue 14: staff two-factor sign-in (TOTP with recovery codes). A clinic can require it
per role: a required-but-not-enrolled person is sent to enrolment; an enrolled person
enters a code after the password before any page opens; wrong codes lock like wrong
passwords, and the clinic admin's unlock clears them."""

import re
import time

import pytest
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from mesoclinic.audit.models import AuditEvent

pytestmark = pytest.mark.django_db
PASSWORD = "violet-harbour-kettle-49"


def _code(device, offset=0) -> str:
    return f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits, drift=offset):06d}"


def _sign_in(client, user):
    user.set_password(PASSWORD)
    user.save()
    r = client.post("/accounts/login", {"username": user.username, "password": PASSWORD})
    assert r.status_code == 302, r.content.decode()[:500]
    return r


def _enrol(client) -> tuple[TOTPDevice, list[str]]:
    page = client.get("/staff/two-factor/setup")
    assert page.status_code == 200 and "<svg" in page.content.decode()
    device = TOTPDevice.objects.get(confirmed=False)
    done = client.post("/staff/two-factor/setup", {"token": _code(device)})
    assert done.status_code == 200
    codes = re.findall(r"<li><code>(\w+)</code></li>", done.content.decode())
    assert len(codes) == 10
    device.refresh_from_db()
    assert device.confirmed
    return device, codes


def test_a_required_role_is_sent_to_enrolment(client, alice, clinic_a):
    clinic_a.two_factor_roles = ["physician"]
    clinic_a.save()
    _sign_in(client, alice)
    r = client.get("/patients/")
    assert r.status_code == 302 and r.url.startswith("/staff/two-factor/setup")
    bad = client.post("/staff/two-factor/setup", {"token": "000000"})
    assert bad.status_code == 400 and "not right" in bad.content.decode()
    TOTPDevice.objects.update(throttling_failure_timestamp=None)  # skip django-otp's 1 s wait
    _enrol(client)
    assert client.get("/patients/").status_code == 200
    assert AuditEvent.objects.filter(action="two_factor_enrolled").exists()


def test_a_role_not_required_works_without(client, nora, clinic_a):
    clinic_a.two_factor_roles = ["physician"]
    clinic_a.save()
    _sign_in(client, nora)
    assert client.get("/patients/").status_code == 200


def test_after_enrolment_the_code_is_asked_after_the_password(client, alice):
    _sign_in(client, alice)
    device, codes = _enrol(client)
    client.post("/accounts/logout")
    _sign_in(client, alice)
    r = client.get("/patients/")
    assert r.status_code == 302 and r.url.startswith("/staff/two-factor/verify")
    wrong = client.post("/staff/two-factor/verify", {"token": "123456"})
    assert wrong.status_code == 400
    assert AuditEvent.objects.filter(action="login_failed", username="alice").exists()
    time.sleep(1.1)  # django-otp's own throttle: one second after a failure
    ok = client.post("/staff/two-factor/verify", {"token": codes[0], "next": "/patients/"})
    assert ok.status_code == 302 and ok.url == "/patients/"
    assert client.get("/patients/").status_code == 200
    # a recovery code works once
    client.post("/accounts/logout")
    _sign_in(client, alice)
    time.sleep(1.1)
    assert client.post("/staff/two-factor/verify", {"token": codes[0]}).status_code == 400


def test_wrong_codes_lock_even_across_new_password_sign_ins(client, alice, adam, settings):
    settings.AXES_FAILURE_LIMIT = 3
    _sign_in(client, alice)
    device, _codes = _enrol(client)
    for _ in range(3):  # each round: a correct password, then a wrong code
        client.post("/accounts/logout")
        _sign_in(client, alice)
        TOTPDevice.objects.filter(pk=device.pk).update(throttling_failure_timestamp=None)
        last = client.post("/staff/two-factor/verify", {"token": "999999"})
    assert last.status_code == 403 and "Too many wrong codes" in last.content.decode()
    _sign_in(client, alice)
    device.refresh_from_db()
    right = client.post("/staff/two-factor/verify", {"token": _code(device)})
    assert right.status_code == 403  # still locked, even with the right code
    admin = client.__class__()
    admin.force_login(adam)
    admin.post(f"/staff/{alice.code}/unlock")
    _sign_in(client, alice)
    device.refresh_from_db()
    TOTPDevice.objects.filter(pk=device.pk).update(throttling_failure_timestamp=None)
    # the next step's code: the one used to enrol cannot be used twice
    fresh = client.post("/staff/two-factor/verify", {"token": _code(device, offset=1)})
    assert fresh.status_code == 302


def test_the_admin_resets_a_lost_phone(client, alice, adam):
    _sign_in(client, alice)
    _enrol(client)
    admin = client.__class__()
    admin.force_login(adam)
    admin.post(f"/staff/{alice.code}/two-factor/reset")
    assert not TOTPDevice.objects.filter(user=alice).exists()
    assert AuditEvent.objects.filter(action="two_factor_reset").exists()
