"""Records that are sealed once signed: after signing they change only through an explicit,
audited path (an amendment or a new version), never by a plain save, queryset update or delete.

The ORM guard lives here; the database triggers that hold the same rule against raw SQL are
made by `mesoclinic.core.db.sealed` in each app's migration.
"""

import contextlib
import contextvars

from django.db import models

from .models import AppendOnly


class Sealed(AppendOnly):
    """A change or deletion of a signed record was attempted outside an amendment."""


# (model label, pk) pairs an amendment is changing right now, in this thread / task
_unsealed: contextvars.ContextVar[frozenset] = contextvars.ContextVar(
    "unsealed", default=frozenset()
)


@contextlib.contextmanager
def unsealed(*objs):
    """Let an amendment change these sealed rows (and rows under them) inside the block."""
    keys = frozenset((o._meta.label, o.pk) for o in objs)
    token = _unsealed.set(_unsealed.get() | keys)
    try:
        yield
    finally:
        _unsealed.reset(token)


def opened(model, pk) -> bool:
    return (model._meta.label, pk) in _unsealed.get()


class SealedQuerySet(models.QuerySet):
    def _sealed_rows(self):
        return self.filter(self.model.sealed_q())

    def _refuse_if_sealed(self, what: str, fields=None):
        model = self.model
        if fields is not None and set(fields) <= set(model.sealed_mutable):
            return
        for row in self._sealed_rows().values_list(*model.sealed_owner_path(), flat=False):
            owner_model, owner_pk = model.sealed_owner(row)
            if not opened(owner_model, owner_pk):
                raise Sealed(
                    f"a signed {model.__name__} is never {what}; record an amendment instead"
                )

    def update(self, **kwargs):
        self._refuse_if_sealed("changed", [self.model._meta.get_field(k).name for k in kwargs])
        return super().update(**kwargs)

    def delete(self):
        if not self.model.sealed_deletable:
            self._refuse_if_sealed("deleted")
        return super().delete()


class SealedModel(models.Model):
    """A model whose rows matching `sealed_q()` are sealed. Subclasses say which rows
    (`sealed_q`), which fields may still change (`sealed_mutable`), and whose amendment
    may open them (`sealed_owner_path` / `sealed_owner`: the row itself by default)."""

    sealed_mutable: tuple[str, ...] = ()
    sealed_deletable = False  # True: removed whole by erasure (mesoclinic.erasure), never edited

    objects = SealedQuerySet.as_manager()

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        if not self._state.adding and self.pk is not None and not self._owner_opened():
            changed = self._changed_fixed_fields(kwargs.get("update_fields"))
            if changed:
                raise Sealed(
                    f"a signed {type(self).__name__} is never changed ({', '.join(changed)}); "
                    "record an amendment or a new version instead"
                )
        return super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        if not self.sealed_deletable and self._sealed_in_db() and not self._owner_opened():
            raise Sealed(
                f"a signed {type(self).__name__} is never deleted; record an amendment instead"
            )
        return super().delete(*args, **kwargs)

    @classmethod
    def sealed_q(cls) -> models.Q:
        raise NotImplementedError

    @classmethod
    def sealed_owner_path(cls) -> tuple[str, ...]:
        return ("pk",)

    @classmethod
    def sealed_owner(cls, row):
        return cls, row[0]

    def _sealed_in_db(self) -> bool:
        if self._state.adding or self.pk is None:
            return False
        manager = type(self)._base_manager
        return manager.filter(pk=self.pk).filter(self.sealed_q()).exists()

    def _changed_fixed_fields(self, update_fields) -> list[str]:
        """The fields outside `sealed_mutable` this save would change on a sealed row."""
        fields = [
            f
            for f in self._meta.concrete_fields
            if f.name not in self.sealed_mutable
            and not f.primary_key
            and (update_fields is None or f.name in update_fields or f.attname in update_fields)
        ]
        if not fields:
            return []
        manager = type(self)._base_manager
        stored = (
            manager.filter(pk=self.pk)
            .filter(self.sealed_q())
            .values(*[f.attname for f in fields])
            .first()
        )
        if stored is None:
            return []
        return [
            f.name
            for f in fields
            if f.to_python(getattr(self, f.attname)) != f.to_python(stored[f.attname])
        ]

    def _owner_opened(self) -> bool:
        values = type(self)._base_manager.filter(pk=self.pk).values_list(*self.sealed_owner_path())
        row = values.first()
        return row is not None and opened(*self.sealed_owner(row))
