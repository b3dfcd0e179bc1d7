"""The patient's own copy (GDPR art. 15 and 20, KVKK art. 11): one zip with the FHIR
Bundle of everything held about the patient, the photos under an active photo-use
consent, the documents of the registry (documents.py) and a README in the patient's
language. Made for the patient (portal) or by staff; audited as an export."""

import datetime as dt
import io
import re
import zipfile

import msgspec
from django.http import Http404
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from mesoclinic.accounts.actor import Actor
from mesoclinic.audit.actions import record
from mesoclinic.lib.language import person_language
from mesoclinic.photos import access as photo_access

from . import documents, gather

_SAFE = re.compile(r"[^A-Za-z0-9._-]+")


def safe_name(name: str) -> str:
    cleaned = _SAFE.sub("-", name).strip("-.") or "document"
    return cleaned[:120]


def reader_for_patient(patient, ip: str | None = None) -> Actor:
    """The reads behind a patient's own copy: every record of that one patient, in their
    clinic, with the clinical reads a physician has. It is never given to a person: the
    portal view builds it for the signed-in patient's own record, and each read is
    audited with "patient copy" as its agent."""
    return Actor(None, patient.clinic, "physician", ip, f"patient copy {patient.code}")


def _photo_name(photo) -> str:
    return f"photos/{photo.taken_on.isoformat()}-{photo.view}-{str(photo.code)[:8]}.jpg"


def _readme(patient, counts: dict, failed: list[str], made: dt.datetime) -> str:
    lines = [
        _("Your records at %(clinic)s") % {"clinic": patient.clinic.name},
        "",
        _("Made on %(when)s for %(name)s.")
        % {"when": made.strftime("%Y-%m-%d %H:%M"), "name": patient.full_name},
        "",
        _("What is in this archive:"),
        "- record.json: "
        + _(
            "everything the clinic holds about you, as a FHIR R4 Bundle (an international "
            "standard for health records that another clinic or a health record system can read)."
        )
        + " "
        + _("%(n)s entries.") % {"n": counts["resources"]},
        "- photos/: "
        + _("your clinical photographs (%(n)s), where your photo consent is in force.")
        % {"n": counts["photos"]},
        "- documents/: " + _("signed forms and summaries (%(n)s).") % {"n": counts["documents"]},
        "",
        _(
            "Photos taken under a photo consent you withdrew are not included: they are no longer used."
        ),
        _(
            "If something is missing or wrong, ask your clinic: you have the right to have it corrected."
        ),
    ]
    if failed:
        lines += [
            "",
            _("Some files could not be included this time; ask the clinic for them: %(names)s")
            % {"names": ", ".join(failed)},
        ]
    return "\n".join(lines) + "\n"


def build(reader: Actor, patient, *, made_by: Actor, absolute=lambda p: p) -> tuple[bytes, dict]:
    """The archive's bytes and what it holds. `reader` reads the records (audited),
    `made_by` is who asked (the patient or a staff member): the export is recorded as theirs."""
    lang = person_language(patient)
    ctx = gather.Context(reader, lang, absolute)
    resources = gather.everything(ctx, patient)
    photos = gather._photos(ctx, patient)
    names = {str(p.code): _photo_name(p) for p in photos}
    for r in resources:  # the copy's photos are beside the bundle
        if r["resourceType"] == "Media" and r["id"] in names:
            r["content"]["url"] = names[r["id"]]
    made = timezone.localtime()
    bundle = {
        "resourceType": "Bundle",
        "type": "collection",
        "timestamp": made.replace(microsecond=0).isoformat(),
        "entry": [{"fullUrl": f"urn:uuid:{r['id']}", "resource": r} for r in resources],
    }
    docs, failed = documents.collect(reader, patient)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("record.json", msgspec.json.format(msgspec.json.encode(bundle), indent=1))
        for photo in photos:
            try:
                z.writestr(names[str(photo.code)], photo_access.read_file(reader, photo))
            except Http404:  # the file is gone from the disk: say so, keep the rest
                failed.append(names[str(photo.code)])
        used = set()
        for filename, data in docs:
            name = safe_name(filename)
            while name in used:
                name = "1-" + name
            used.add(name)
            z.writestr(f"documents/{name}", data)
        counts = {
            "resources": len(bundle["entry"]),
            "photos": len(photos) - sum(n.startswith("photos/") for n in failed),
            "documents": len(docs),
        }
        with translation.override(lang):
            z.writestr("README.txt", _readme(patient, counts, failed, made))
    record(
        made_by,
        "export",
        patient,
        patient=patient,
        summary="the patient's own copy (zip)",
        detail={**counts, "failed_documents": failed},
    )
    return buffer.getvalue(), counts


def filename(patient) -> str:
    return f"records-{timezone.localdate():%Y-%m-%d}.zip"
