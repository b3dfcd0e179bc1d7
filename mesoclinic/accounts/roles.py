"""Who may do what. One table, so a reviewer can read the whole policy at once."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    PHYSICIAN = "physician", _("Physician")
    NURSE = "nurse", _("Nurse")
    FRONT_DESK = "front_desk", _("Front desk")
    CLINIC_ADMIN = "clinic_admin", _("Clinic admin")
    PATIENT = "patient", _("Patient")


STAFF = frozenset({Role.PHYSICIAN, Role.NURSE, Role.FRONT_DESK, Role.CLINIC_ADMIN})
CLINICAL = frozenset({Role.PHYSICIAN, Role.NURSE})

# capability -> roles that have it
CAPABILITIES: dict[str, frozenset[str]] = {
    "view_demographics": STAFF,
    "edit_demographics": STAFF,
    "view_clinical": CLINICAL,  # intake answers, screenings, patch tests, consent, notes, photos
    "record_clinical": CLINICAL,  # intake, screening, patch tests, consent
    # Role decision (issue 13): the front desk may take a patient's FIRST medical history by
    # phone - the demographic and medical-history questions, entered on the patient's
    # behalf and marked "taken by phone by <who>" - so a patient who cannot use the portal
    # is not sent away. It is data entry only: the front desk still never sees a medical
    # history on file, screenings, patch tests, consents or any other clinical result (no
    # view_clinical), and a history already on file is updated by the clinicians.
    "take_phone_intake": frozenset({Role.FRONT_DESK}),
    "override_screening": frozenset({Role.PHYSICIAN}),
    "sign_protocol_decision": frozenset({Role.PHYSICIAN}),
    "view_audit": frozenset({Role.CLINIC_ADMIN}),
    "view_stock": frozenset({Role.PHYSICIAN, Role.NURSE, Role.CLINIC_ADMIN}),
    "manage_stock": frozenset({Role.PHYSICIAN, Role.NURSE, Role.CLINIC_ADMIN}),
    "recall_lot": frozenset({Role.PHYSICIAN, Role.CLINIC_ADMIN}),
    "view_lot_exposure": frozenset({Role.PHYSICIAN, Role.NURSE, Role.CLINIC_ADMIN}),
    "view_adverse_events": frozenset({Role.PHYSICIAN, Role.NURSE, Role.CLINIC_ADMIN}),
    "book_appointments": frozenset(
        {Role.PHYSICIAN, Role.NURSE, Role.FRONT_DESK}
    ),  # schedule, waiting list, feeds
    "manage_schedule": frozenset(
        {Role.CLINIC_ADMIN, Role.FRONT_DESK}
    ),  # practitioners, rooms, hours, absences
    "manage_staff": frozenset({Role.CLINIC_ADMIN}),
    "manage_clinic": frozenset({Role.CLINIC_ADMIN}),  # name, time zone, on-call address
    "edit_articles": frozenset({Role.PHYSICIAN, Role.CLINIC_ADMIN}),  # what patients read
    # messages the outbox gave up on: see them, try again, mark handled
    "handle_failed_messages": frozenset({Role.PHYSICIAN, Role.CLINIC_ADMIN}),
    # --- billing and dashboard (issue 17) ---
    "view_billing": STAFF,  # invoices, payments, balances, the daily close
    "take_payments": frozenset({Role.FRONT_DESK, Role.CLINIC_ADMIN, Role.PHYSICIAN}),
    "issue_invoices": frozenset({Role.FRONT_DESK, Role.CLINIC_ADMIN, Role.PHYSICIAN}),
    "set_prices": frozenset({Role.CLINIC_ADMIN}),  # price list, packages, VAT rates
    "give_discount": frozenset({Role.CLINIC_ADMIN, Role.PHYSICIAN}),
    "refund": frozenset({Role.CLINIC_ADMIN}),  # refunds and credit notes
    "view_dashboard": frozenset({Role.CLINIC_ADMIN, Role.PHYSICIAN}),
}


def can(role: str | None, capability: str) -> bool:
    return role is not None and role in CAPABILITIES[capability]
