"""Care as FHIR: Consent (treatment and photo use), CarePlan (the plan and its series),
Appointment, Procedure (a signed session) and Medication (a product's lot).

Pure functions of the records: no query, no audit (gather.py reads through `access`)."""

from collections import OrderedDict

from mesoclinic.engine.knowledge import Knowledge, text

from . import codes as c

CONSENT_SCOPE = "http://terminology.hl7.org/CodeSystem/consentscope"
ACT_CODE = "http://terminology.hl7.org/CodeSystem/v3-ActCode"
CONSENT_CATEGORY = c.concept(c.coding(c.LOINC, "59284-0", "Consent Document"))
APPOINTMENT_STATUS = {
    "booked": "booked",
    "cancelled": "cancelled",
    "done": "fulfilled",
    "no_show": "noshow",
}
PLAN_STATUS = {"active": "active", "completed": "completed", "stopped": "revoked"}


def protocol_concept(k: Knowledge, protocol: str, lang: str) -> dict:
    p = k.protocols.get(protocol)
    title = text(p.title, lang) if p is not None else protocol
    return c.concept(c.coding(c.CS_PROTOCOL, protocol, title), text=title)


def consent(k: Knowledge, record, patient_code, lang: str) -> dict:
    withdrawal = record.withdrawn
    template = record.template
    return c.clean(
        {
            "resourceType": "Consent",
            "id": str(record.code),
            "identifier": c.identifier(record.code),
            "extension": [{"url": c.EXT_CONSENT_VERSION, "valueInteger": template.version}],
            "status": "inactive" if withdrawal else "active",
            "scope": c.concept(c.coding(CONSENT_SCOPE, "treatment", "Treatment")),
            "category": [CONSENT_CATEGORY],
            "patient": c.ref("Patient", patient_code),
            "dateTime": c.instant(record.signed_at),
            "performer": [c.ref("Patient", patient_code, record.signer_name)],
            "policyRule": c.concept(c.coding(ACT_CODE, "OPTIN", "opt-in")),
            "provision": {
                "type": "permit",
                "period": {
                    "start": c.instant(record.signed_at),
                    "end": c.instant(withdrawal.withdrawn_at) if withdrawal else None,
                },
                "code": [protocol_concept(k, template.protocol, lang)]
                + [c.concept(c.coding(c.CS_PRODUCT_CLASS, pc)) for pc in record.product_classes],
            },
        }
    )


def photo_consent(record, patient_code) -> dict:
    return c.clean(
        {
            "resourceType": "Consent",
            "id": str(record.code),
            "identifier": c.identifier(record.code),
            "status": "active" if record.active else "inactive",
            "scope": c.concept(c.coding(CONSENT_SCOPE, "patient-privacy", "Privacy Consent")),
            "category": [CONSENT_CATEGORY],
            "patient": c.ref("Patient", patient_code),
            "dateTime": c.day(record.signed_on),
            "performer": [c.ref("Patient", patient_code, record.signer_name)],
            "policyRule": c.concept(c.coding(ACT_CODE, "OPTIN", "opt-in")),
            "provision": {
                "type": "permit",
                "period": {
                    "start": c.day(record.signed_on),
                    "end": c.instant(record.withdrawn_at),
                },
                "code": [
                    c.concept(c.coding(c.CS_PHOTO_SCOPE, record.scope), text="clinical photographs")
                ],
            },
        }
    )


def care_plan(k: Knowledge, plan, patient_code, lang: str, sessions, appointments) -> dict:
    """`sessions`: the plan's sessions; `appointments`: its booked or past appointments."""
    by_number = {s.number: s for s in sessions}
    booked = {a.session_number: a for a in appointments if a.status == "booked"}
    activities = []
    for n in range(1, max(plan.sessions_planned, max(by_number, default=0)) + 1):
        session = by_number.get(n)
        if session is not None and session.is_signed:
            activities.append({"reference": c.ref("Procedure", session.code)})
        elif n in booked:
            activities.append({"reference": c.ref("Appointment", booked[n].code)})
        else:
            activities.append(
                {
                    "detail": {
                        "status": "in-progress" if session is not None else "not-started",
                        "description": f"Session {n} of {plan.sessions_planned}",
                        "code": protocol_concept(k, plan.protocol, lang),
                    }
                }
            )
    days = "d"
    return c.clean(
        {
            "resourceType": "CarePlan",
            "id": str(plan.code),
            "identifier": c.identifier(plan.code),
            "extension": [
                {"url": c.EXT_SESSIONS, "valueInteger": plan.sessions_planned},
                {
                    "url": c.EXT_INTERVAL,
                    "valueRange": {
                        "low": c.quantity(plan.interval_min, "days", days),
                        "high": c.quantity(plan.interval_max, "days", days),
                    },
                },
                {
                    "url": c.EXT_MAINTENANCE,
                    "valueRange": {
                        "low": c.quantity(plan.maintenance_min, "days", days),
                        "high": c.quantity(plan.maintenance_max, "days", days),
                    },
                },
                {"url": c.EXT_KNOWLEDGE, "valueString": plan.knowledge_version},
            ],
            "status": PLAN_STATUS.get(plan.status, "unknown"),
            "intent": "plan",
            "category": [protocol_concept(k, plan.protocol, lang)],
            "title": protocol_concept(k, plan.protocol, lang)["text"],
            "description": ", ".join(plan.concerns) or None,
            "subject": c.ref("Patient", patient_code),
            "period": {"start": c.day(plan.start_date)},
            "created": c.instant(plan.created_at),
            "author": {"display": plan.created_by.display_name} if plan.created_by else None,
            "supportingInfo": [c.ref("DetectedIssue", plan.screening.code)]
            if plan.screening.decision != "eligible"
            else [],
            "activity": activities,
        }
    )


def appointment(k: Knowledge, a, patient_code, lang: str) -> dict:
    return c.clean(
        {
            "resourceType": "Appointment",
            "id": str(a.code),
            "identifier": c.identifier(a.code),
            "status": APPOINTMENT_STATUS.get(a.status, "booked"),
            "cancelationReason": c.concept(text=a.cancel_reason) if a.cancel_reason else None,
            "serviceType": [protocol_concept(k, a.protocol, lang)],
            "appointmentType": c.concept(
                c.coding(c.CS_APPOINTMENT_TYPE, a.appointment_type),
                text=a.get_appointment_type_display(),
            ),
            "description": f"Session {a.session_number}" if a.session_number else None,
            "supportingInformation": [c.ref("CarePlan", a.plan.code)] if a.plan_id else [],
            "start": c.instant(a.start),
            "end": c.instant(a.end),
            "created": c.instant(a.created_at),
            "participant": [
                {"actor": c.ref("Patient", patient_code), "status": "accepted"},
                {"actor": {"display": a.practitioner.name}, "status": "accepted"},
                {"actor": {"display": a.room.name}, "status": "accepted"},
            ],
        }
    )


def _zone(k: Knowledge, protocol: str, zone_id: str):
    p = k.protocols.get(protocol)
    for z in p.zones if p is not None else []:
        if z.id == zone_id:
            return z
    return None


def body_site(k: Knowledge, protocol: str, zone_id: str, lang: str) -> dict:
    z = _zone(k, protocol, zone_id)
    label = text(z.label, lang) if z is not None else zone_id
    codings = [c.coding(c.CS_ZONE, zone_id, label)]
    if z is not None and z.snomed:
        codings.insert(0, c.coding(c.SNOMED, z.snomed))
    return c.concept(*codings, text=label)


def route(points) -> dict:
    techniques = {p.technique for p in points}
    code, display = c.ROUTE_INTRADERMAL
    for technique, r in c.ROUTE_BY_TECHNIQUE.items():
        if technique in techniques:
            code, display = r
    return c.concept(c.coding(c.SNOMED, code, display), text=display)


def _point(p) -> dict:
    parts = [
        {"url": "zone", "valueCoding": c.coding(c.CS_ZONE, p.zone)},
        {"url": "technique", "valueCoding": c.coding(c.CS_TECHNIQUE, p.technique)},
        {"url": "depth", "valueQuantity": c.quantity(p.depth_mm, "mm", "mm")},
        {"url": "volume", "valueQuantity": c.quantity(p.volume_ml, "mL", "mL")},
        {"url": "lot", "valueReference": c.ref("Medication", p.lot.code, p.lot.lot_number)},
        {"url": "view", "valueString": p.view},
    ]
    if p.side:
        parts.insert(1, {"url": "side", "valueString": p.side})
    if p.stage is not None:
        parts.append({"url": "stage", "valueInteger": p.stage})
    return {"url": c.EXT_POINT, "extension": parts}


def procedure(k: Knowledge, s, patient_code, lang: str, points, amendments=()) -> dict:
    zones = list(OrderedDict.fromkeys(p.zone for p in points))
    techniques = list(OrderedDict.fromkeys(p.technique for p in points))
    depths = [p.depth_mm for p in points]
    lots = list(OrderedDict((p.lot.code, p.lot) for p in points).values())
    ext = [{"url": c.EXT_ROUTE, "valueCodeableConcept": route(points)}]
    ext += [
        {"url": c.EXT_TECHNIQUE, "valueCoding": c.coding(c.CS_TECHNIQUE, t, _technique(k, t))}
        for t in techniques
    ]
    if depths:
        ext.append(
            {
                "url": c.EXT_DEPTH,
                "valueRange": {
                    "low": c.quantity(min(depths), "mm", "mm"),
                    "high": c.quantity(max(depths), "mm", "mm"),
                },
            }
        )
    ext += [_point(p) for p in points]
    notes = [{"text": s.notes}] if s.notes else []
    notes += [{"text": f"Amended (revision {a.revision}): {a.reason}"} for a in amendments]
    return c.clean(
        {
            "resourceType": "Procedure",
            "id": str(s.code),
            "identifier": c.identifier(s.code),
            "extension": ext,
            "basedOn": [c.ref("CarePlan", s.plan.code)],
            "status": "completed",
            "code": protocol_concept(k, s.protocol, lang),
            "subject": c.ref("Patient", patient_code),
            "performedPeriod": {"start": c.instant(s.started_at), "end": c.instant(s.signed_at)},
            "performer": [{"actor": {"display": s.signed_by.display_name}}] if s.signed_by else [],
            "bodySite": [body_site(k, s.protocol, z, lang) for z in zones],
            "note": notes,
            "usedReference": [c.ref("Medication", lot.code, str(lot)) for lot in lots],
        }
    )


def _technique(k: Knowledge, technique_id: str) -> str | None:
    t = k.techniques.get(technique_id)
    return text(t.label, "en") if t is not None else None


def medication(lot, today) -> dict:
    product = lot.product
    ext = []
    if lot.recalled_at is not None:
        ext.append({"url": c.EXT_RECALLED, "valueDateTime": c.instant(lot.recalled_at)})
    return c.clean(
        {
            "resourceType": "Medication",
            "id": str(lot.code),
            "identifier": c.identifier(lot.code),
            "extension": ext,
            "code": c.concept(text=product.name),
            "status": "inactive" if lot.recalled_at or lot.expiry < today else "active",
            "manufacturer": {"display": product.maker} if product.maker else None,
            "ingredient": [
                {"itemCodeableConcept": c.concept(text=str(i))} for i in product.ingredients
            ],
            "batch": {"lotNumber": lot.lot_number, "expirationDate": c.day(lot.expiry)},
        }
    )
