"""Who may read the API: the access matrix (401/403/404 and nothing else, no data in the
body), and API tokens made on the staff page and by the command."""

import json

import pytest
from django.core.management import call_command

from mesoclinic.fhir import actions
from mesoclinic.fhir.models import ApiToken
from tests.support import personas
from tests.support.journeys import portal_user


@pytest.fixture
def ayse(alice):
    patient = personas.make_patient(personas.actor(alice))
    personas.make_intake(personas.actor(alice), patient)
    return patient


@pytest.fixture
def token(adam):
    _token, secret = actions.create_token(
        personas.actor(adam), name="NHR", scopes=["system/*.read"]
    )
    return secret


def urls(patient) -> list[str]:
    return [
        f"/fhir/Patient/{patient.code}",
        f"/fhir/Patient/{patient.code}/$everything",
        f"/fhir/QuestionnaireResponse?patient=Patient/{patient.code}",
        f"/fhir/QuestionnaireResponse/{patient.current_intake.code}",
    ]


def check(client, patient, status: int, **headers):
    for url in urls(patient):
        response = client.get(url, **headers)
        assert response.status_code == status, (url, response.content[:300])
        body = json.loads(response.content)
        assert body["resourceType"] == "OperationOutcome"
        assert patient.family_name not in response.content.decode()
        assert str(patient.birth_date) not in response.content.decode()


def bearer(secret: str) -> dict:
    return {"HTTP_AUTHORIZATION": f"Bearer {secret}"}


def test_the_clinics_own_token_reads(client, ayse, token):
    for url in urls(ayse):
        response = client.get(url, **bearer(token))
        assert response.status_code == 200, (url, response.content[:300])


def test_anonymous_and_bad_credentials_are_401(client, ayse):
    check(client, ayse, 401)
    check(client, ayse, 401, **bearer("mcf_not-a-real-token"))
    check(client, ayse, 401, HTTP_AUTHORIZATION="Basic dXNlcjpwYXNz")
    assert client.get(f"/fhir/Patient/{ayse.code}")["WWW-Authenticate"].startswith("Bearer")


def test_a_revoked_token_is_401(client, ayse, adam, token):
    assert client.get(f"/fhir/Patient/{ayse.code}", **bearer(token)).status_code == 200
    made = ApiToken.objects.get()
    actions.revoke_token(personas.actor(adam), made)
    check(client, ayse, 401, **bearer(token))


def test_another_clinics_token_and_staff_find_nothing_404(client, ayse, clinic_b, charlie):
    other_admin = personas.make_user("olga", clinic_b, "clinic_admin")
    _t, secret = actions.create_token(
        personas.actor(other_admin), name="x", scopes=["system/*.read"]
    )
    check(client, ayse, 404, **bearer(secret))
    found = json.loads(
        client.get(f"/fhir/Patient?name={ayse.family_name}", **bearer(secret)).content
    )
    assert found["total"] == 0 and found["entry"] == []
    client.force_login(charlie)
    check(client, ayse, 404)


def test_a_token_without_the_scope_is_403(client, ayse, adam):
    _t, secret = actions.create_token(
        personas.actor(adam), name="calendar", scopes=["system/Appointment.read"]
    )
    check(client, ayse, 403, **bearer(secret))
    response = client.get(f"/fhir/Appointment?patient={ayse.code}", **bearer(secret))
    assert response.status_code == 200


def test_a_patients_portal_session_is_403(client, ayse, nora):
    client.force_login(portal_user(nora, ayse))
    check(client, ayse, 403)


def test_staff_without_clinical_reads_get_403_on_clinical_resources(client, ayse, frank, adam):
    for user in (frank, adam):
        client.force_login(user)
        assert client.get(f"/fhir/Patient/{ayse.code}").status_code == 200
        for url in urls(ayse)[1:]:
            assert client.get(url).status_code == 403, (user.username, url)


def test_writes_are_refused(client, ayse, token):
    response = client.post(f"/fhir/Patient/{ayse.code}", **bearer(token))
    assert response.status_code == 405


def test_unknown_type_and_bad_ids(client, ayse, token):
    assert client.get("/fhir/Encounter?patient=x", **bearer(token)).status_code == 404
    assert client.get("/fhir/Patient/not-a-uuid", **bearer(token)).status_code == 404
    response = client.get("/fhir/Procedure", **bearer(token))
    assert response.status_code == 400
    assert "patient" in json.loads(response.content)["issue"][0]["diagnostics"]
    response = client.get("/fhir/Procedure?patient=Patient/zzz", **bearer(token))
    assert response.status_code == 400


# --- tokens ---------------------------------------------------------------------------------


def test_a_clinic_admin_makes_and_revokes_a_token_on_the_staff_page(client, adam, ayse):
    client.force_login(adam)
    made = client.post(
        "/fhir/tokens/", {"name": "Health record", "scopes": ["system/Patient.read"]}
    )
    assert made.status_code == 302  # to the page: a reload never makes a second token
    page = client.get(made["Location"])
    secret = page.context["new_secret"]
    assert secret.startswith("mcf_") and secret in page.content.decode()
    made = ApiToken.objects.get()
    assert (
        made.name == "Health record"
        and made.scopes == ["system/Patient.read"]
        and secret not in json.dumps(made.token_hash)
    )
    assert made.token_hash != secret and len(made.token_hash) == 64
    again = client.get("/fhir/tokens/")
    assert secret not in again.content.decode()  # shown once
    client.logout()
    assert client.get(f"/fhir/Patient/{ayse.code}", **bearer(secret)).status_code == 200
    client.force_login(adam)
    client.post(f"/fhir/tokens/{made.code}/revoke")
    client.logout()
    assert client.get(f"/fhir/Patient/{ayse.code}", **bearer(secret)).status_code == 401


def test_the_token_page_names_bad_input_and_is_for_admins_only(client, adam, nora):
    client.force_login(adam)
    page = client.post("/fhir/tokens/", {"name": "", "scopes": ["system/Nonsense"]})
    assert page.status_code == 400
    text = page.content.decode()
    assert "Give the token a name" in text
    assert not ApiToken.objects.exists()
    client.force_login(nora)
    assert client.get("/fhir/tokens/").status_code == 403


def test_the_command_makes_lists_and_revokes(clinic_a, ayse, client, capsys):
    call_command("fhir_token", "create", "--clinic", clinic_a.name, "--name", "cli",
                 "--scope", "system/*.read")  # fmt: skip
    code, secret = capsys.readouterr().out.strip().split("\t")
    assert client.get(f"/fhir/Patient/{ayse.code}", **bearer(secret)).status_code == 200
    call_command("fhir_token", "list", "--clinic", str(clinic_a.code))
    assert "cli" in capsys.readouterr().out
    call_command("fhir_token", "revoke", "--clinic", clinic_a.name, "--token", code)
    assert client.get(f"/fhir/Patient/{ayse.code}", **bearer(secret)).status_code == 401


def test_the_command_names_bad_input(clinic_a):
    from django.core.management import CommandError

    with pytest.raises(CommandError, match="--clinic"):
        call_command("fhir_token", "list", "--clinic", "nowhere")
    with pytest.raises(CommandError, match="scope"):
        call_command("fhir_token", "create", "--clinic", clinic_a.name, "--name", "x",
                     "--scope", "everything")  # fmt: skip
    with pytest.raises(CommandError, match="--token"):
        call_command("fhir_token", "revoke", "--clinic", clinic_a.name, "--token", "nope")


def test_items_of_the_medical_history_are_read_by_their_derived_ids(client, alice, token):
    from fhir.resources.R4B import get_fhir_model_class

    patient = personas.make_patient(personas.actor(alice), given="Derya", family="Kaya")
    personas.make_intake(personas.actor(alice), patient, allergies=["lidocaine", "nickel"],
                         keloid_tendency=True, anticoagulants=True)  # fmt: skip
    everything = json.loads(
        client.get(f"/fhir/Patient/{patient.code}/$everything", **bearer(token)).content
    )
    derived = [
        e["resource"] for e in everything["entry"]
        if e["resource"]["resourceType"] in ("AllergyIntolerance", "Condition", "MedicationStatement")
    ]  # fmt: skip
    kinds = sorted(r["resourceType"] for r in derived)
    assert kinds == ["AllergyIntolerance", "AllergyIntolerance", "Condition", "MedicationStatement"]
    for resource in derived:
        response = client.get(f"/fhir/{resource['resourceType']}/{resource['id']}", **bearer(token))
        assert response.status_code == 200
        assert json.loads(response.content) == resource
        get_fhir_model_class(resource["resourceType"]).model_validate(resource)
    allergy = next(r for r in derived if r["resourceType"] == "AllergyIntolerance")
    assert allergy["code"]["text"] == "lidocaine"
    # another clinic's token does not find it by its id either
    olga = personas.make_user(
        "olga", patient.clinic.__class__.objects.create(name="B"), "clinic_admin"
    )
    _t, other = actions.create_token(personas.actor(olga), name="x", scopes=["system/*.read"])
    assert (
        client.get(f"/fhir/AllergyIntolerance/{allergy['id']}", **bearer(other)).status_code == 404
    )
