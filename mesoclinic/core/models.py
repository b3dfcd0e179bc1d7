"""Shared model behaviour. Records written once and never changed (audit events, screening
results, consent, stock moves, aftercare sheets) refuse changes in the ORM here, and in the
database through the triggers of core/db.py."""

from django.db import models


class AppendOnly(Exception):
    """A change or deletion of an append-only record was attempted."""


class AppendOnlyQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise AppendOnly(f"{self.model.__name__} is append-only")

    def delete(self):
        raise AppendOnly(f"{self.model.__name__} is append-only")


class AppendOnlyModel(models.Model):
    """Written once, never changed or deleted: a change is a new record."""

    objects = AppendOnlyQuerySet.as_manager()

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise AppendOnly(f"a {type(self).__name__} is never changed; record a new one")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AppendOnly(f"a {type(self).__name__} is never deleted")
