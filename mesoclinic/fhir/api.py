"""The FHIR R4 API: read, search, Patient/$everything and the CapabilityStatement.

Every answer is `application/fhir+json`; every refusal is an OperationOutcome with the
status it names (400 bad search, 401 no valid credentials, 403 not allowed, 404 not found
or not this clinic's, 405 not a read). Every read is audited: by the `access` functions
each collector calls, and once more per request with what was returned.
"""

from functools import wraps

import msgspec
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _

from mesoclinic.audit.actions import record
from mesoclinic.lib.language import language
from mesoclinic.lib.refusals import Forbidden
from mesoclinic.patients import access as patient_access

from . import codes as c
from . import gather, map_intake
from .access import Unauthenticated, caller_for, is_staff
from .capability import capability_statement
from .search import (
    BadRequest,
    as_uuid,
    check_params,
    filter_resources,
    owner_of,
    patient_ref,
    search_patients,
)

FHIR_JSON = "application/fhir+json; charset=utf-8"
MAX_COUNT = 500
TYPES = frozenset(gather.COLLECTORS) | {"Questionnaire"}
_encode = msgspec.json.Encoder().encode


def fhir_response(resource: dict, status: int = 200, **headers) -> HttpResponse:
    response = HttpResponse(_encode(resource), status=status, content_type=FHIR_JSON)
    for key, value in headers.items():
        response[key.replace("_", "-")] = value
    return response


def outcome(status: int, code: str, message: str, **headers) -> HttpResponse:
    body = {
        "resourceType": "OperationOutcome",
        "issue": [{"severity": "error", "code": code, "diagnostics": str(message)}],
    }
    return fhir_response(body, status, **headers)


def api_view(view):
    """Authenticate (token or staff session), then turn refusals into OperationOutcomes."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if request.method not in ("GET", "HEAD"):
            return outcome(405, "not-supported", "this API is read-only: use GET", Allow="GET")
        try:
            caller = caller_for(request)
            if not is_staff(caller):
                raise Forbidden(_("The FHIR API is for the clinic's staff and systems."))
            return view(request, caller, *args, **kwargs)
        except Unauthenticated as exc:
            return outcome(401, "login", str(exc), WWW_Authenticate='Bearer realm="fhir"')
        except PermissionDenied as exc:
            return outcome(403, "forbidden", getattr(exc, "reason", "") or str(exc) or "forbidden")
        except Http404 as exc:
            return outcome(404, "not-found", str(exc) or "not found")
        except BadRequest as exc:
            return outcome(400, "invalid", str(exc))

    return wrapped


def _context(request, caller) -> gather.Context:
    return gather.Context(caller.actor, language(), request.build_absolute_uri)


def _require_type(caller, resource_type: str) -> None:
    if resource_type not in TYPES:
        raise Http404(f"this server has no {resource_type!r} resources")
    if not caller.may_read(resource_type):
        raise Forbidden(f"the token's scopes do not include {resource_type}")


def _patient(caller, code, *, audit: str | None = "view"):
    return patient_access.get_patient(caller.actor, code, audit=audit)


def _params(request) -> dict[str, list[str]]:
    return {k: [v for v in request.GET.getlist(k) if v != ""] for k in request.GET}


def _audit(caller, action: str, request, patient, resources: list[dict]) -> None:
    types = sorted({r["resourceType"] for r in resources})
    record(
        caller.actor,
        action,
        patient,
        patient=patient,
        summary=f"FHIR {request.path}"[:300],
        detail={
            "resources": len(resources),
            "types": types,
            "query": request.META.get("QUERY_STRING", "")[:200],
            "token": str(caller.token.code) if caller.token else "",
        },
    )


def _bundle(request, kind: str, resources: list[dict], *, search: bool) -> dict:
    base = request.build_absolute_uri("/fhir/")
    entry = []
    for r in resources:
        e = {"fullUrl": f"{base}{r['resourceType']}/{r['id']}", "resource": r}
        if search:
            e["search"] = {"mode": "match"}
        entry.append(e)
    bundle = {
        "resourceType": "Bundle",
        "type": kind,
        "timestamp": c.instant(timezone.now()),
        "link": [{"relation": "self", "url": request.build_absolute_uri()}],
        "entry": entry,
    }
    if kind == "searchset":
        bundle["total"] = len(resources)
    return bundle


def metadata(request):
    """The CapabilityStatement: public (it holds no patient data)."""
    return fhir_response(capability_statement(request.build_absolute_uri("/fhir")))


@api_view
def read(request, caller, resource_type: str, resource_id: str):
    _require_type(caller, resource_type)
    code = as_uuid(resource_id, resource_type)
    ctx = _context(request, caller)
    if resource_type == "Questionnaire":
        q = map_intake.questionnaire(ctx.k, ctx.lang)
        if q["id"] != str(code):
            raise Http404("no such Questionnaire")
        return fhir_response(q)
    owner = owner_of(caller.actor, resource_type, code)
    if owner is None:
        raise Http404(f"no such {resource_type}")
    patient = _patient(caller, owner, audit=None)
    found = [r for r in gather.COLLECTORS[resource_type](ctx, patient) if r["id"] == str(code)]
    if not found:  # a photo under a withdrawn consent, an unsigned session
        raise Http404(f"no such {resource_type}")
    _audit(caller, "view", request, patient, found)
    return fhir_response(found[0])


@api_view
def search(request, caller, resource_type: str):
    _require_type(caller, resource_type)
    params = _params(request)
    if resource_type == "Questionnaire":
        ctx = _context(request, caller)
        return fhir_response(
            _bundle(request, "searchset", [map_intake.questionnaire(ctx.k, ctx.lang)], search=True)
        )
    check_params(resource_type, params)
    try:
        count = int((params.get("_count") or ["100"])[0])
    except ValueError:
        count = -1
    if not 0 <= count <= MAX_COUNT:
        raise BadRequest(f"_count must be a whole number from 0 to {MAX_COUNT}")
    ctx = _context(request, caller)
    if resource_type == "Patient":
        patients = search_patients(caller.actor, params, count)
        resources = [map_intake.patient(p, caller.actor.clinic.name) for p in patients]
        record(
            caller.actor,
            "search",
            summary=f"FHIR {request.path}: {len(resources)} found",
            detail={"query": request.META.get("QUERY_STRING", "")[:200]},
        )
        return fhir_response(_bundle(request, "searchset", resources, search=True))
    refs = params.get("patient", []) + params.get("subject", [])
    if len(refs) != 1:
        raise BadRequest(
            f"search {resource_type} with one patient (patient=Patient/<id>): "
            "this server searches one patient's records at a time"
        )
    patient = _patient(caller, patient_ref(refs[0]), audit=None)
    resources = gather.COLLECTORS[resource_type](ctx, patient)
    resources = filter_resources(resource_type, resources, params)[:count]
    _audit(caller, "search", request, patient, resources)
    return fhir_response(_bundle(request, "searchset", resources, search=True))


@api_view
def everything(request, caller, resource_id: str):
    _require_type(caller, "Patient")
    patient = _patient(caller, as_uuid(resource_id, "patient"), audit=None)
    ctx = _context(request, caller)
    resources = [r for r in gather.everything(ctx, patient) if caller.may_read(r["resourceType"])]
    _audit(caller, "export", request, patient, resources)
    return fhir_response(_bundle(request, "searchset", resources, search=True))
