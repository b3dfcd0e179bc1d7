"""Outcomes and safety as FHIR: Media (a photo, only under an active photo-use consent),
Observation (GAIS scores; a photo's measures with their method), AdverseEvent (with the
CTCAE grade) and DetectedIssue (a screening's findings, citing their sources).

Pure functions of the records: no query, no audit (gather.py reads through `access`)."""

from . import codes as c

SEVERITY = {"mild": "mild", "moderate": "moderate", "severe": "severe"}
AE_SEVERITY = "http://terminology.hl7.org/CodeSystem/adverse-event-severity"
AE_OUTCOME = "http://terminology.hl7.org/CodeSystem/adverse-event-outcome"
AE_OUTCOME_CODE = {"resolved_with_sequelae": "resolvedWithSequelae"}
OBS_CATEGORY = "http://terminology.hl7.org/CodeSystem/observation-category"
ISSUE_SEVERITY = {"contraindicated": "high", "review": "moderate", "defer": "low"}
MEASURE_UNITS = {
    "pigmented_area_pct": ("%", "%"),
    "scalp_visible_pct": ("%", "%"),
    "ita_deg": ("°", "deg"),
    "mean_a_star": ("1", "1"),
    "erythema_index": ("1", "1"),
}


def media(photo, patient_code, file_url: str) -> dict:
    return c.clean(
        {
            "resourceType": "Media",
            "id": str(photo.code),
            "identifier": c.identifier(photo.code),
            "partOf": [c.ref("Procedure", photo.session.code)]
            if photo.session_id and photo.session.is_signed
            else [],
            "status": "completed",
            "type": c.concept(
                c.coding("http://terminology.hl7.org/CodeSystem/media-type", "image", "Image")
            ),
            "view": c.concept(c.coding(c.CS_PHOTO_VIEW, photo.view), text=photo.get_view_display()),
            "subject": c.ref("Patient", patient_code),
            "createdDateTime": c.day(photo.taken_on),
            "issued": c.instant(photo.created_at),
            "bodySite": c.concept(text=photo.area) if photo.area else None,
            "height": photo.height,
            "width": photo.width,
            "content": {
                "contentType": "image/jpeg",
                "url": file_url,
                "size": photo.size_bytes,
                "title": f"{photo.taken_on.isoformat()}-{photo.view}.jpg",
                "creation": c.instant(photo.created_at),
            },
        }
    )


def gais(score, patient_code) -> dict:
    return c.clean(
        {
            "resourceType": "Observation",
            "id": str(score.code),
            "identifier": c.identifier(score.code),
            "extension": [{"url": c.EXT_RATER, "valueString": score.rater}],
            "status": "final",
            "category": [c.concept(c.coding(OBS_CATEGORY, "survey", "Survey"))],
            "code": c.concept(
                {
                    "system": c.CS_SCALE,
                    "version": score.scale_version,
                    "code": "gais",
                    "display": "Global Aesthetic Improvement Scale",
                },
                text="GAIS",
            ),
            "subject": c.ref("Patient", patient_code),
            "partOf": [c.ref("Procedure", score.session.code)] if score.session.is_signed else [],
            "effectiveDateTime": c.day(score.rated_on),
            "performer": [c.ref("Patient", patient_code)]
            if score.rater == "patient"
            else ([{"display": score.rated_by.display_name}] if score.rated_by else []),
            "valueInteger": score.score,
            "interpretation": [c.concept(text=score.get_score_display())],
            "note": [{"text": score.notes}] if score.notes else [],
        }
    )


def photo_measures(photo, patient_code) -> dict | None:
    analysis = photo.analysis or {}
    components = []
    for region, values in sorted((analysis.get("regions") or {}).items()):
        for key, value in sorted(values.items()):
            if not isinstance(value, int | float) or isinstance(value, bool):
                continue
            unit, ucum = MEASURE_UNITS.get(key, ("1", "1"))
            components.append(
                {
                    "code": c.concept(
                        c.coding(c.CS_MEASURE, key),
                        c.coding(c.CS_REGION, region),
                        text=f"{key} ({region})",
                    ),
                    "valueQuantity": c.quantity(round(float(value), 4), unit, ucum),
                }
            )
    if not components:
        return None
    correction = (analysis.get("colour_correction") or {}).get("applied", False)
    method = (
        f"Mesoclinic photo measures, engine {analysis.get('engine', '?')}; colour chart "
        f"correction {'applied' if correction else 'not applied (values depend on camera and light)'}"
    )
    return c.clean(
        {
            "resourceType": "Observation",
            "id": str(photo.code),
            "identifier": c.identifier(photo.code),
            "status": "final",
            "category": [c.concept(c.coding(OBS_CATEGORY, "imaging", "Imaging"))],
            "code": c.concept(c.coding(c.CS_MEASURE, "photo-measures"), text="Photo measures"),
            "subject": c.ref("Patient", patient_code),
            "effectiveDateTime": c.day(photo.taken_on),
            "method": c.concept(
                c.coding(c.CS_MEASURE, f"engine-{analysis.get('engine', '?')}"), text=method
            ),
            "derivedFrom": [c.ref("Media", photo.code)],
            "component": components,
        }
    )


def adverse_event(event, patient_code, lots) -> dict:
    ext = [{"url": c.EXT_TRIAGE, "valueCoding": c.coding(c.CS_TRIAGE, event.level)}]
    if event.ctcae_grade:
        ext.append({"url": c.EXT_CTCAE, "valueInteger": event.ctcae_grade})
    symptoms = [c.coding(c.CS_SYMPTOM, s) for s in event.symptoms or []]
    outcome = AE_OUTCOME_CODE.get(event.outcome, event.outcome)
    suspects = (
        [{"instance": c.ref("Procedure", event.session.code)}] if event.session.is_signed else []
    )
    suspects += [{"instance": c.ref("Medication", lot.code, str(lot))} for lot in lots]
    return c.clean(
        {
            "resourceType": "AdverseEvent",
            "id": str(event.code),
            "identifier": c.identifier(event.code)[0],
            "extension": ext,
            "actuality": "actual",
            "event": c.concept(
                *symptoms,
                text=", ".join(event.symptoms or []) or event.notes[:200] or "side effect",
            ),
            "subject": c.ref("Patient", patient_code),
            "date": c.instant(event.reported_at),
            "recordedDate": c.instant(event.reported_at),
            "severity": c.concept(c.coding(AE_SEVERITY, SEVERITY.get(event.severity, "moderate"))),
            "outcome": c.concept(c.coding(AE_OUTCOME, outcome)),
            "suspectEntity": suspects,
        }
    )


def detected_issue(screening, patient_code, citations: dict[str, str]) -> dict | None:
    """One DetectedIssue per screening that found anything (a decision other than
    eligible); each finding is an evidence entry with its sources."""
    findings = [f for f in screening.findings if f.get("decision") != "eligible"]
    if screening.decision == "eligible" or not findings:
        return None
    evidence = []
    for f in findings:
        sources = [s for s in f.get("sources", []) if s]
        evidence.append(
            {
                "extension": [
                    {"url": c.EXT_SOURCE, "valueString": citations.get(s, s)} for s in sources
                ],
                "code": [
                    c.concept(
                        c.coding(c.CS_RULE, f.get("rule", "?")),
                        c.coding(c.CS_DECISION, f.get("decision", "?")),
                        text=f.get("reason", ""),
                    )
                ],
            }
        )
    mitigation = []
    override = screening.override_or_none
    if override is not None:
        mitigation.append(
            {
                "action": c.concept(
                    c.coding(c.CS_DECISION, "physician-override"), text=override.reason
                ),
                "date": c.instant(override.created_at),
                "author": {"display": override.physician.display_name},
            }
        )
    return c.clean(
        {
            "resourceType": "DetectedIssue",
            "id": str(screening.code),
            "identifier": c.identifier(screening.code),
            "extension": [{"url": c.EXT_KNOWLEDGE, "valueString": screening.knowledge_version}],
            "status": "final",
            "code": c.concept(
                c.coding(c.CS_DECISION, screening.decision),
                text=f"Screening for {screening.protocol}",
            ),
            "severity": ISSUE_SEVERITY.get(screening.decision, "low"),
            "patient": c.ref("Patient", patient_code),
            "identifiedDateTime": c.instant(screening.created_at),
            "detail": " ".join(f.get("reason", "") for f in findings)[:4000],
            "evidence": evidence,
            "mitigation": mitigation,
        }
    )
