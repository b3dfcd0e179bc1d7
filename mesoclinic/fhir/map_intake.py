"""The patient and the medical history as FHIR: Patient, Questionnaire (built from the
knowledge's screening facts), QuestionnaireResponse (one intake version),
AllergyIntolerance, Condition and MedicationStatement (from the current intake).

Pure functions of the records: no query, no audit (gather.py reads through `access`)."""

from mesoclinic.engine.knowledge import Knowledge, normalize, text

from . import codes as c

GENDER = {"female": "female", "male": "male", "other": "other", "unknown": "unknown"}
# yes/no facts that are a condition of the patient when answered yes
CONDITION_FACTS = (
    "cancer_treatment",
    "bleeding_disorder",
    "kidney_disease",
    "pathological_edema",
    "autoimmune_disease",
    "keloid_tendency",
    "implanted_electronic_device",
)
# facts that are a medicine taken, with the date of the last dose when it is a date fact
MEDICINE_FACTS = ("anticoagulants", "isotretinoin_last_dose", "last_aspirin_or_nsaid")
QUESTION_TYPE = {
    "bool": "boolean",
    "date": "date",
    "enum": "choice",
    "date_or_null": "string",  # an ISO date, or "never"
    "substances": "string",  # one answer per substance, or "none"
    "devices": "string",
}


def patient(p, clinic_name: str) -> dict:
    telecom = []
    if p.phone:
        telecom.append({"system": "phone", "value": p.phone, "use": "mobile"})
    if p.email:
        telecom.append({"system": "email", "value": p.email})
    intake = p.current_intake
    ext = []
    if intake is not None and intake.fitzpatrick:
        ext.append({"url": c.EXT_FITZPATRICK, "valueString": intake.fitzpatrick})
    return c.clean(
        {
            "resourceType": "Patient",
            "id": str(p.code),
            "meta": {"lastUpdated": c.instant(p.updated_at)},
            "extension": ext,
            "identifier": c.identifier(p.code),
            "active": True,
            "name": [{"use": "official", "family": p.family_name, "given": [p.given_name]}],
            "telecom": telecom,
            "gender": GENDER.get(p.sex, "unknown"),
            "birthDate": c.day(p.birth_date),
            "communication": [
                {"language": c.concept(c.coding("urn:ietf:bcp:47", p.language)), "preferred": True}
            ]
            if p.language
            else [],
            "managingOrganization": {"display": clinic_name},
        }
    )


def questionnaire_id(k: Knowledge) -> str:
    return c.derived_id(k.version, "Questionnaire", 0)


def questionnaire(k: Knowledge, lang: str) -> dict:
    items = []
    for fact in k.facts.values():
        item = {
            "linkId": fact.id,
            "code": [c.coding(c.CS_FACT, fact.id, text(fact.label, "en"))],
            "prefix": text(fact.label, lang),
            "text": text(fact.question, lang),
            "type": QUESTION_TYPE.get(fact.type, "string"),
            "required": not getattr(fact, "optional", False),
        }
        if fact.type in ("substances", "devices"):
            item["repeats"] = True
        if fact.type == "enum":
            item["answerOption"] = [
                {"valueCoding": c.coding(f"{c.CS_FACT}:{fact.id}", v)} for v in fact.values
            ]
        items.append(item)
    return c.clean(
        {
            "resourceType": "Questionnaire",
            "id": questionnaire_id(k),
            "url": f"{c.LOCAL}:Questionnaire:intake",
            "version": k.version,
            "name": "MesoclinicIntake",
            "title": "Medical history before mesotherapy" if lang == "en" else None,
            "status": "active",
            "subjectType": ["Patient"],
            "description": "The screening facts of the knowledge base, in intake order; each "
            "rule that reads a fact cites its sources.",
            "item": items,
        }
    )


def _answers(fact, value) -> list[dict]:
    if fact.type == "bool":
        return [{"valueBoolean": bool(value)}]
    if fact.type == "date":
        return [{"valueDate": str(value)}]
    if fact.type == "enum":
        return [{"valueCoding": c.coding(f"{c.CS_FACT}:{fact.id}", str(value))}]
    if fact.type == "date_or_null":
        return [{"valueString": str(value) if value else "never"}]
    if isinstance(value, list):
        return [{"valueString": str(v)} for v in value] or [{"valueString": "none"}]
    return [{"valueString": str(value)}]


def questionnaire_response(k: Knowledge, intake, patient_code, current: bool) -> dict:
    items = []
    for fact in k.facts.values():
        if fact.id not in intake.answers:
            continue  # not answered: no item (never taken as "no")
        items.append({"linkId": fact.id, "answer": _answers(fact, intake.answers[fact.id])})
    extra = []
    if intake.fitzpatrick:
        extra.append({"linkId": "fitzpatrick", "answer": [{"valueString": intake.fitzpatrick}]})
    if intake.notes:
        extra.append({"linkId": "notes", "answer": [{"valueString": intake.notes}]})
    author = intake.created_by.display_name if intake.created_by else None
    return c.clean(
        {
            "resourceType": "QuestionnaireResponse",
            "id": str(intake.code),
            "identifier": c.identifier(intake.code)[0],
            "questionnaire": f"{c.LOCAL}:Questionnaire:intake",
            "status": "completed" if current else "amended",
            "subject": c.ref("Patient", patient_code),
            "authored": c.instant(intake.created_at),
            "author": {"display": author} if author else None,
            "source": c.ref("Patient", patient_code) if intake.source == "portal" else None,
            "item": items + extra,
        }
    )


def _base(kind: str, intake, index: int, patient_code) -> dict:
    return {
        "resourceType": kind,
        "id": c.derived_id(intake.code, kind, index),
        "identifier": [{"system": c.ID_SYSTEM, "value": f"{intake.code}/{kind}/{index}"}],
    }


def allergies(k: Knowledge, intake, patient_code) -> list[dict]:
    out = []
    for i, name in enumerate(intake.answers.get("allergies") or []):
        substance = k.names.get(normalize(str(name)))
        code = c.concept(
            *([c.coding(c.CS_SUBSTANCE, substance)] if substance else []), text=str(name)
        )
        out.append(
            c.clean(
                {
                    **_base("AllergyIntolerance", intake, i, patient_code),
                    "clinicalStatus": c.concept(
                        c.coding(
                            "http://terminology.hl7.org/CodeSystem/allergyintolerance-clinical",
                            "active",
                        )
                    ),
                    "verificationStatus": c.concept(
                        c.coding(
                            "http://terminology.hl7.org/CodeSystem/allergyintolerance-verification",
                            "unconfirmed",
                        )
                    ),
                    "code": code,
                    "patient": c.ref("Patient", patient_code),
                    "recordedDate": c.instant(intake.created_at),
                }
            )
        )
    return out


def conditions(k: Knowledge, intake, patient_code) -> list[dict]:
    found = []
    for fact_id in CONDITION_FACTS:
        if intake.answers.get(fact_id) is True and fact_id in k.facts:
            label = text(k.facts[fact_id].label, "en")
            found.append(c.concept(c.coding(c.CS_FACT, fact_id, label), text=label))
    diabetes = intake.answers.get("diabetes")
    if diabetes and diabetes != "none":
        found.append(
            c.concept(
                c.coding(f"{c.CS_FACT}:diabetes", diabetes),
                text=f"Diabetes ({diabetes.replace('_', ' ')})",
            )
        )
    found += [c.concept(text=str(t)) for t in intake.conditions or [] if str(t).strip()]
    return [
        c.clean(
            {
                **_base("Condition", intake, i, patient_code),
                "clinicalStatus": c.concept(
                    c.coding("http://terminology.hl7.org/CodeSystem/condition-clinical", "active")
                ),
                "verificationStatus": c.concept(
                    c.coding(
                        "http://terminology.hl7.org/CodeSystem/condition-ver-status", "unconfirmed"
                    )
                ),
                "category": [
                    c.concept(
                        c.coding(
                            "http://terminology.hl7.org/CodeSystem/condition-category",
                            "problem-list-item",
                        )
                    )
                ],
                "code": code,
                "subject": c.ref("Patient", patient_code),
                "recordedDate": c.instant(intake.created_at),
            }
        )
        for i, code in enumerate(found)
    ]


def medication_statements(k: Knowledge, intake, patient_code) -> list[dict]:
    # (concept, prescribed, last dose)
    rows = [
        (c.concept(text=str(m.get("name", ""))), m.get("prescribed"), None)
        for m in intake.medicines or []
    ]
    answers = intake.answers
    if answers.get("anticoagulants") is True:
        rows.append((_fact_concept(k, "anticoagulants"), True, None))
    rows += [
        (_fact_concept(k, f), f != "last_aspirin_or_nsaid", answers[f])
        for f in ("isotretinoin_last_dose", "last_aspirin_or_nsaid")
        if answers.get(f)
    ]
    category = "http://terminology.hl7.org/CodeSystem/medication-statement-category"
    return [
        c.clean(
            {
                **_base("MedicationStatement", intake, i, patient_code),
                "status": "completed" if last else "active",
                "category": c.concept(
                    c.coding(category, "community" if prescribed else "patientspecified")
                ),
                "medicationCodeableConcept": concept,
                "subject": c.ref("Patient", patient_code),
                "effectiveDateTime": str(last) if last else None,
                "dateAsserted": c.instant(intake.created_at),
            }
        )
        for i, (concept, prescribed, last) in enumerate(rows)
        if concept.get("text") or concept.get("coding")
    ]


def _fact_concept(k: Knowledge, fact_id: str) -> dict:
    label = text(k.facts[fact_id].label, "en") if fact_id in k.facts else fact_id
    return c.concept(c.coding(c.CS_FACT, fact_id, label), text=label)
