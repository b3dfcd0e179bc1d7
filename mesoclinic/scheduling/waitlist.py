"""Writes of the waiting list: add, remove, offer a freed slot, book the offer."""

from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from mesoclinic.accounts.actor import Actor
from mesoclinic.audit.actions import record
from mesoclinic.lib import clinicday

from . import availability, reminders
from .actions import Refused, _own, book_appointment
from .models import Appointment, WaitingListEntry, WaitStatus


def offer_slot(a: Appointment) -> WaitingListEntry | None:
    day = clinicday.local_date(a.start, a.clinic)
    length = int((a.end - a.start).total_seconds() // 60)
    entries = (
        WaitingListEntry.objects.select_for_update(of=("self",))
        .select_related("patient", "clinic")
        .filter(clinic=a.clinic, status=WaitStatus.WAITING, earliest__lte=day, latest__gte=day)
        .filter(Q(practitioner=None) | Q(practitioner=a.practitioner))
        .exclude(patient=a.patient)
        .order_by("created_at", "pk")
    )
    for entry in entries:
        if entry.protocol not in a.practitioner.protocols or entry.protocol not in a.room.protocols:
            continue
        minutes = availability.session_minutes(entry.protocol, False)
        if minutes > length:
            continue
        entry.status = WaitStatus.OFFERED
        entry.offered_start, entry.offered_minutes = a.start, minutes
        entry.offered_practitioner, entry.offered_room = a.practitioner, a.room
        entry.save()
        reminders.offer(entry)
        return entry
    return None


@transaction.atomic
def add_to_waiting_list(
    actor: Actor, patient, *, protocol, earliest, latest, practitioner=None, notes=""
) -> WaitingListEntry:
    actor.require("book_appointments")
    _own(actor, patient, practitioner)
    if latest < earliest:
        raise Refused({"latest": _("The last day cannot come before the first.")})
    entry = WaitingListEntry.objects.create(
        clinic=actor.clinic,
        patient=patient,
        protocol=protocol,
        earliest=earliest,
        latest=latest,
        practitioner=practitioner,
        notes=notes[:200],
        created_by=actor.user,
    )
    record(actor, "create", entry, patient=patient, summary=f"waiting list: {protocol}")
    return entry


@transaction.atomic
def book_offer(actor: Actor, entry: WaitingListEntry) -> Appointment:
    """Book the slot offered to a waiting-list patient."""
    actor.require("book_appointments")
    entry = (
        WaitingListEntry.objects.select_for_update(of=("self",))
        .select_related("patient", "offered_practitioner", "offered_room")
        .get(pk=entry.pk)
    )
    _own(actor, entry)
    if entry.status != WaitStatus.OFFERED or entry.offered_practitioner is None:
        raise Refused(_("No slot is on offer for this entry."))
    appointment = book_appointment(
        actor,
        entry.patient,
        protocol=entry.protocol,
        start=entry.offered_start,
        practitioner=entry.offered_practitioner,
        room=entry.offered_room,
    )
    entry.status = WaitStatus.BOOKED
    entry.save(update_fields=["status"])
    return appointment


@transaction.atomic
def remove_from_waiting_list(actor: Actor, entry: WaitingListEntry) -> None:
    actor.require("book_appointments")
    _own(actor, entry)
    entry.status = WaitStatus.REMOVED
    entry.save(update_fields=["status"])
    record(actor, "update", entry, patient=entry.patient, summary="removed from waiting list")
