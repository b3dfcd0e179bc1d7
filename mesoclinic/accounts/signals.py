"""Signals of the accounts app: higher apps react to them (the audit log records them)."""

from django.dispatch import Signal

# A clinic's settings were changed: sender=Clinic, actor=, clinic=, changed={field: [old, new]}
clinic_changed = Signal()
