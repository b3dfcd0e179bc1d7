import datetime as dt

import pytest
from django.urls import reverse

from mesoclinic.audit.models import AuditEvent
from mesoclinic.patients.models import IntakeVersion, Patient
from tests.support import personas


def test_it_registers_a_patient_and_shows_the_chart(login, nora):
    client = login(nora)
    page = client.post(
        reverse("patients:register"),
        {
            "given_name": "Şule",
            "family_name": "Öztürk",
            "birth_date": "1985-03-02",
            "sex": "female",
            "phone": "+90 532 111 22 33",
        },
    )
    patient = Patient.objects.get()
    assert page.status_code == 302 and page.url == reverse("patients:chart", args=[patient.code])
    chart = client.get(page.url)
    assert "Şule Öztürk" in chart.content.decode()
    assert AuditEvent.objects.filter(action="create", patient_code=patient.code).exists()
    assert AuditEvent.objects.filter(action="view", patient_code=patient.code).exists()


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("birth_date", "2999-01-01", "in the future"),
        ("birth_date", "yesterday", "Enter a valid date"),
        ("phone", "call me", "digits, spaces"),
        ("given_name", "", "This field is required"),
    ],
)
def test_bad_input_gets_a_message_next_to_the_field_and_nothing_is_saved(
    login, nora, field, value, message
):
    data = {
        "given_name": "A",
        "family_name": "B",
        "birth_date": "1990-01-01",
        "sex": "female",
        "phone": "",
    }
    data[field] = value
    page = login(nora).post(reverse("patients:register"), data)
    assert page.status_code == 400
    assert message in page.content.decode()
    assert not Patient.objects.exists()


def test_search_is_partial_and_accent_insensitive(login, nora):
    act = personas.actor(nora)
    personas.make_patient(act, "Ayşe", "Yılmaz", phone="0532 123 45 67")
    personas.make_patient(act, "Ayse", "Demir", born=dt.date(1979, 12, 31))
    personas.make_patient(act, "Mehmet", "Öz")
    client = login(nora)

    def names(q):
        return [
            p.family_name
            for p in client.get(reverse("patients:list"), {"q": q}).context["patients"]
        ]

    assert sorted(names("ayse")) == ["Demir", "Yılmaz"]
    assert names("yilm") == ["Yılmaz"]
    assert names("AYŞE yil") == ["Yılmaz"]
    assert names("oz") == ["Öz"]
    assert names("4567") == ["Yılmaz"]
    assert names("31.12.1979") == ["Demir"]
    assert names("1979-12-31") == ["Demir"]
    assert names("zzz") == []
    partial = client.get(reverse("patients:list"), {"q": "ayse"}, headers={"HX-Request": "true"})
    assert "<html" not in partial.content.decode()


def test_intake_is_versioned_and_history_kept(login, nora, patient):
    client = login(nora)
    url = reverse("patients:intake", args=[patient.code])
    form = {
        f"fact_{k}": "no"
        for k in ["pregnant", "breastfeeding", "cancer_treatment", "anticoagulants"]
    }
    form.update(
        {
            "fact_diabetes": "none",
            "fact_last_aspirin_or_nsaid": "date",
            "fact_last_aspirin_or_nsaid_date": "2026-11-01",
            "fact_allergies": "Lidocaine\nlatex",
            "prescribed_medicines": "Levothyroxine",
            "fitzpatrick": "III",
        }
    )
    assert client.post(url, form).status_code == 302
    form["fact_pregnant"] = "yes"
    assert client.post(url, form).status_code == 302
    versions = list(IntakeVersion.objects.order_by("number"))
    assert [v.number for v in versions] == [1, 2]
    assert versions[0].answers["pregnant"] is False and versions[1].answers["pregnant"] is True
    assert versions[1].answers["allergies"] == ["Lidocaine", "latex"]
    assert versions[1].answers["last_aspirin_or_nsaid"] == "2026-11-01"
    assert (
        "breastfeeding" in versions[1].answers and "acute_illness" not in versions[1].answers
    )  # blank = unanswered
    patient.refresh_from_db()
    assert patient.current_intake == versions[1]
    chart = client.get(reverse("patients:chart", args=[patient.code])).content.decode()
    assert "Lidocaine" in chart and "Amide local anaesthetics" in chart and "Levothyroxine" in chart


def test_intake_form_errors_keep_nothing(login, nora, patient):
    client = login(nora)
    url = reverse("patients:intake", args=[patient.code])
    page = client.post(
        url,
        {"fact_last_aspirin_or_nsaid": "date", "fact_allergies": "x", "fact_allergies_none": "on"},
    )
    assert page.status_code == 400
    body = page.content.decode()
    assert "Give the date, or choose Never." in body and "untick" in body
    assert not IntakeVersion.objects.exists()


def test_an_intake_version_is_never_changed(nora, patient):
    version = personas.make_intake(personas.actor(nora), patient)
    version.notes = "changed"
    with pytest.raises(ValueError):
        version.save()


def test_front_desk_sees_demographics_but_no_clinical_data(login, frank, nora, patient):
    personas.make_intake(personas.actor(nora), patient, allergies=["latex"])
    client = login(frank)
    chart = client.get(reverse("patients:chart", args=[patient.code]))
    assert chart.status_code == 200
    body = chart.content.decode()
    assert (
        patient.full_name in body
        and "latex" not in body
        and "shown to physicians and nurses only" in body
    )
    assert client.get(reverse("patients:intake", args=[patient.code])).status_code == 403


def test_a_physician_of_another_clinic_sees_nothing(login, charlie, patient):
    client = login(charlie)
    for name in ("patients:chart", "patients:edit", "patients:intake"):
        assert client.get(reverse(name, args=[patient.code])).status_code == 404
    assert client.get(reverse("patients:list"), {"q": patient.given_name}).context["patients"] == []
    assert patient.full_name not in client.get(reverse("patients:list")).content.decode()


def test_anonymous_users_are_sent_to_sign_in(client, patient):
    page = client.get(reverse("patients:chart", args=[patient.code]))
    assert page.status_code == 302 and reverse("accounts:login") in page.url


def test_the_patient_list_has_a_fixed_number_of_queries(login, nora, django_assert_max_num_queries):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    act = personas.actor(nora)
    client = login(nora)
    counts = []
    for total in (3, 40):
        while Patient.objects.count() < total:
            n = Patient.objects.count()
            personas.make_patient(act, f"Name{n}", f"Family{n}")
        client.get(reverse("patients:list"))
        with CaptureQueriesContext(connection) as ctx:
            page = client.get(reverse("patients:list"), {"q": "name"})
        assert len(page.context["patients"]) == total
        counts.append(len(ctx.captured_queries))
    # 12: the request's audit rows cost three statements (chain head, one INSERT, head hash)
    assert counts[0] == counts[1] <= 12


def test_the_intake_asks_the_timing_and_device_questions(login, nora, patient, settings):
    client = login(nora)
    url = reverse("patients:intake", args=[patient.code])
    html = client.get(url).content.decode()
    assert "filler, botulinum toxin" in html and "sun holiday" in html
    assert 'name="fact_planned_sun_exposure_date"' in html and "No plans" in html
    assert 'name="fact_implanted_devices"' in html and "ICD" in html
    assert "Paracetamol does not count" in html
    tr = client.get(url, headers={"Accept-Language": "tr"}).content.decode()
    assert "dolgu, botulinum toksini" in tr and "güneşli bir tatil" in tr
    assert "iltihap giderici bir ağrı kesiciyi" in tr and "Parasetamol bu soruya girmez" in tr


def test_the_intake_records_a_planned_sun_date_ahead_and_devices(login, nora, patient):
    client = login(nora)
    url = reverse("patients:intake", args=[patient.code])
    ahead = (dt.date.today() + dt.timedelta(days=30)).isoformat()
    form = {
        "fact_planned_sun_exposure": "date",
        "fact_planned_sun_exposure_date": ahead,
        "fact_last_filler_or_other_injectable": "date",
        "fact_last_filler_or_other_injectable_date": ahead,
        "fact_implanted_electronic_device": "no",
        "fact_implanted_devices": "ICD\n",
    }
    page = client.post(url, form)
    assert page.status_code == 400 and not IntakeVersion.objects.exists()
    body = page.content.decode()
    assert "This date is in the future." in body  # the filler date, not the sun plan
    assert "A device is named below" in body
    form.update(
        fact_last_filler_or_other_injectable="never",
        fact_last_filler_or_other_injectable_date="",
        fact_implanted_electronic_device="yes",
    )
    assert client.post(url, form).status_code == 302
    answers = IntakeVersion.objects.get().answers
    assert answers["planned_sun_exposure"] == ahead
    assert answers["last_filler_or_other_injectable"] is None
    assert answers["implanted_devices"] == ["ICD"]
    again = client.get(url).content.decode()  # the next version starts from these answers
    assert ahead in again and ">\nICD</textarea>" in again


def test_an_intake_stored_before_the_new_questions_still_works(login, nora, patient):
    from mesoclinic.screening.actions import screen_patient

    act = personas.actor(nora)
    personas.make_intake(
        act,
        patient,
        implanted_devices=...,
        last_filler_or_other_injectable=...,
        planned_sun_exposure=...,
    )
    client = login(nora)
    assert client.get(reverse("patients:intake", args=[patient.code])).status_code == 200
    day = dt.date.today() + dt.timedelta(days=7)
    screening = screen_patient(act, patient, "face-mesolift", day)
    assert screening.decision == "eligible"  # not asked: the decision is not changed
    assert [f["rule"] for f in screening.findings] == [
        "not-asked-last_filler_or_other_injectable",
        "not-asked-planned_sun_exposure",
    ]


def test_the_chart_names_the_class_of_a_brand_allergy(login, nora, patient):
    personas.make_intake(personas.actor(nora), patient, allergies=["EMLA", "penicillin"])
    chart = login(nora).get(reverse("patients:chart", args=[patient.code])).content.decode()
    assert "EMLA <small>(Amide local anaesthetics)</small>" in chart
    assert "penicillin</li>" in chart


def test_a_medical_history_date_before_the_birth_date_is_refused(login, nora, patient):
    url = reverse("patients:intake", args=[patient.code])
    page = login(nora).post(
        url,
        {
            "fact_last_aspirin_or_nsaid": "date",
            "fact_last_aspirin_or_nsaid_date": "1850-03-01",
        },
    )
    assert page.status_code == 400 and not IntakeVersion.objects.exists()
    errors = page.context["form"].errors["fact_last_aspirin_or_nsaid_date"]
    assert errors == ["This date is before the birth date (1 May 1990): check the year."]
