"""Starting a chart from an earlier one, in one action: copy-forward of the previous session,
and charting templates ("my usual mesolift": a named set of points saved from a charted
session, for one practitioner or the whole clinic). Each point gets its product's current
usable lot and goes through `actions.add_point`, so it is checked like a click."""

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from mesoclinic.accounts.actor import Actor
from mesoclinic.audit.actions import record
from mesoclinic.engine.knowledge import load
from mesoclinic.products.access import usable_lots

from .actions import Refused, _lock, add_point
from .charting import zone_name
from .models import ChartTemplate, ChartTemplatePoint, TreatmentSession

POINT_FIELDS = (
    "stage",
    "view",
    "x",
    "y",
    "zone",
    "side",
    "depth_mm",
    "technique",
    "volume_ml",
)


@transaction.atomic
def copy_forward(
    actor: Actor, session: TreatmentSession, at: dt.datetime | None = None
) -> tuple[int, list[str]]:
    """Copy the previous session's points into this open one; lots that can no longer be
    used are swapped for a usable lot of the same product, or skipped with a note."""
    actor.require("record_clinical")
    at = at or timezone.now()
    session = _lock(session)
    previous = (
        TreatmentSession.objects.filter(plan=session.plan, number__lt=session.number)
        .order_by("-number")
        .first()
    )
    if previous is None:
        raise Refused(_("There is no earlier session of this plan to copy."))
    if session.is_signed:
        raise Refused(_("This session is signed off: record an amendment instead."))
    if session.points.exists():
        raise Refused(_("This session already has points: copying would chart them twice."))
    k = load()
    notes, copied = [], 0
    for old in previous.points.select_related("lot__product").order_by("stage", "id"):
        lots = usable_lots(actor, old.lot.product, at)
        lot = old.lot if old.lot in lots else (lots[0] if lots else None)
        if lot is None:
            notes.append(
                _("%(p)s: no usable lot in stock; point at %(z)s skipped.")
                % {
                    "p": old.lot.product.name,
                    "z": zone_name(k, session.protocol, old.zone),
                }
            )
            continue
        data = {f: getattr(old, f) for f in POINT_FIELDS}
        try:
            add_point(actor, session, {**data, "lot": lot}, at)
            copied += 1
        except Refused as exc:
            notes.append(
                _("Point at %(z)s skipped: %(why)s")
                % {
                    "z": zone_name(k, session.protocol, old.zone),
                    "why": " ".join(exc.messages),
                }
            )
    return copied, notes


def _visible(actor: Actor):
    """The templates an actor may use: their own and the clinic's shared ones."""
    from django.db.models import Q

    return ChartTemplate.objects.filter(clinic=actor.clinic).filter(
        Q(owner=None) | Q(owner=actor.user)
    )


def templates_for(actor: Actor, protocol: str | None = None) -> list[ChartTemplate]:
    """Own templates first, then the clinic's, each with its number of points."""
    from django.db.models import Count

    actor.require("record_clinical")
    qs = _visible(actor).annotate(n_points=Count("points")).select_related("owner")
    if protocol:
        qs = qs.filter(protocol=protocol)
    return sorted(qs, key=lambda t: (t.owner_id is None, t.protocol, t.name.lower()))


def get_template(actor: Actor, code) -> ChartTemplate:
    actor.require("record_clinical")
    try:
        return _visible(actor).get(code=code)
    except (ChartTemplate.DoesNotExist, ValueError, TypeError, ValidationError):
        raise Http404("no such template") from None


@transaction.atomic
def save_template(
    actor: Actor, session: TreatmentSession, *, name: str, shared: bool = False
) -> ChartTemplate:
    """Save the session's points (stage, place, technique, depth, volume, product)."""
    actor.require("record_clinical")
    if session.patient.clinic_id != actor.clinic.pk:
        raise Http404("no such session")
    name = " ".join((name or "").split())
    if not name:
        raise Refused({"name": _("Give the template a name.")})
    points = list(session.points.select_related("lot").order_by("stage", "id"))
    if not points:
        raise Refused(_("Chart at least one point before saving it as a template."))
    owner = None if shared else actor.user
    taken = ChartTemplate.objects.filter(clinic=actor.clinic, protocol=session.protocol, name=name)
    taken = taken.filter(owner__isnull=True) if owner is None else taken.filter(owner=owner)
    if taken.exists():
        raise Refused(
            {
                "name": _("A template named “%(name)s” already exists for this protocol.")
                % {"name": name}
            }
        )
    template = ChartTemplate.objects.create(
        clinic=actor.clinic,
        owner=owner,
        name=name,
        protocol=session.protocol,
        created_by=actor.user,
    )
    ChartTemplatePoint.objects.bulk_create(
        ChartTemplatePoint(
            template=template,
            product_id=p.lot.product_id,
            **{f: getattr(p, f) for f in POINT_FIELDS},
        )
        for p in points
    )
    record(
        actor,
        "create",
        template,
        summary=f"chart template {name!r} ({session.protocol}, {len(points)} points, "
        f"{'clinic' if shared else 'own'})",
    )
    return template


@transaction.atomic
def apply_template(
    actor: Actor, session: TreatmentSession, template: ChartTemplate, at: dt.datetime | None = None
) -> tuple[int, list[str]]:
    """Chart the template's points on an empty open session. Each product gets its current
    usable lot; a point whose product is not in the plan, has no usable lot or fails a
    check is skipped with a note saying why."""
    actor.require("record_clinical")
    at = at or timezone.now()
    session = _lock(session)
    if template.clinic_id != actor.clinic.pk or template.owner_id not in (None, actor.user.pk):
        raise Http404("no such template")
    if session.is_signed:
        raise Refused(_("This session is signed off: record an amendment instead."))
    if template.protocol != session.protocol:
        raise Refused(_("This template is for another protocol."))
    if session.points.exists():
        raise Refused(_("This session already has points: a template starts an empty chart."))
    k = load()
    in_plan = set(session.plan.products.values_list("pk", flat=True))
    lots: dict[int, object] = {}
    notes: list[str] = []
    added = 0
    for tp in template.points.select_related("product").order_by("stage", "id"):
        product = tp.product
        if product.pk not in in_plan:
            notes.append(
                _("%(p)s is not in this plan's cocktail: point at %(z)s skipped.")
                % {"p": product.name, "z": zone_name(k, session.protocol, tp.zone)}
            )
            continue
        if product.pk not in lots:
            usable = usable_lots(actor, product, at)
            lots[product.pk] = usable[0] if usable else None
        lot = lots[product.pk]
        if lot is None:
            notes.append(
                _("%(p)s: no usable lot in stock; point at %(z)s skipped.")
                % {"p": product.name, "z": zone_name(k, session.protocol, tp.zone)}
            )
            continue
        data = {f: getattr(tp, f) for f in POINT_FIELDS}
        try:
            add_point(actor, session, {**data, "lot": lot}, at)
            added += 1
        except Refused as exc:
            notes.append(
                _("Point at %(z)s skipped: %(why)s")
                % {"z": zone_name(k, session.protocol, tp.zone), "why": " ".join(exc.messages)}
            )
    record(
        actor,
        "update",
        session,
        patient=session.patient,
        summary=f"chart template {template.name!r} applied: {added} points, {len(notes)} skipped",
    )
    return added, notes


@transaction.atomic
def delete_template(actor: Actor, template: ChartTemplate) -> None:
    """One's own template; a clinic template by whoever saved it, or a physician."""
    actor.require("record_clinical")
    mine = template.owner_id == actor.user.pk or (
        template.owner_id is None
        and (template.created_by_id == actor.user.pk or actor.can("sign_protocol_decision"))
    )
    if template.clinic_id != actor.clinic.pk or not mine:
        raise Refused(_("Only whoever saved a clinic template, or a physician, may delete it."))
    record(actor, "delete", template, summary=f"chart template {template.name!r} deleted")
    template.delete()
