"""Scheduling's messages move into the one outbox (outbox.Message): every row keeps its code,
key, state, attempts, claim, text and times; the appointment or plan it was about becomes
the outbox row's generic `about`. Reversible: the rows of scheduling's kinds move back.
The next migration drops scheduling's table."""

from django.db import migrations
from django.db.models import OuterRef, Subquery

KINDS = ["prepare", "reminder", "followup", "recall", "offer"]
COPIED = [
    "code",
    "key",
    "clinic_id",
    "patient_id",
    "kind",
    "channel",
    "params",
    "due_at",
    "status",
    "attempts",
    "claim_token",
    "claimed_at",
    "sent_at",
    "to",
    "subject",
    "body",
    "error",
]
BATCH = 1000


def _type(apps, alias, model):
    ContentType = apps.get_model("contenttypes", "ContentType")
    return ContentType.objects.using(alias).get_or_create(app_label=model[0], model=model[1])[0]


def forward(apps, schema_editor):
    alias = schema_editor.connection.alias
    Old = apps.get_model("scheduling", "Message")
    New = apps.get_model("outbox", "Message")
    old = Old.objects.using(alias)
    if not old.exists():
        return
    appointment = _type(apps, alias, ("scheduling", "appointment"))
    plan = _type(apps, alias, ("treatments", "treatmentplan"))
    batch = []
    for row in old.order_by("pk").iterator(chunk_size=BATCH):
        fields = {name: getattr(row, name) for name in COPIED}
        if row.appointment_id is not None:
            fields.update(about_type_id=appointment.pk, about_id=row.appointment_id)
        elif row.plan_id is not None:
            fields.update(about_type_id=plan.pk, about_id=row.plan_id)
        if row.attempts:  # a retry in progress: its window starts at its last claim
            fields["first_attempt_at"] = row.claimed_at or row.created_at
        batch.append(New(**fields))
        if len(batch) >= BATCH:
            New.objects.using(alias).bulk_create(batch)
            batch = []
    New.objects.using(alias).bulk_create(batch)
    # created_at is auto_now_add, so the insert stamped it with now: put the old one back
    New.objects.using(alias).filter(kind__in=KINDS).update(
        created_at=Subquery(old.filter(code=OuterRef("code")).values("created_at")[:1])
    )


def backward(apps, schema_editor):
    alias = schema_editor.connection.alias
    Old = apps.get_model("scheduling", "Message")
    New = apps.get_model("outbox", "Message")
    moved = New.objects.using(alias).filter(kind__in=KINDS)
    if not moved.exists():
        return
    appointment = _type(apps, alias, ("scheduling", "appointment"))
    plan = _type(apps, alias, ("treatments", "treatmentplan"))
    batch = []
    for row in moved.order_by("pk").iterator(chunk_size=BATCH):
        fields = {name: getattr(row, name) for name in COPIED}
        if row.about_type_id == appointment.pk:
            fields["appointment_id"] = row.about_id
        elif row.about_type_id == plan.pk:
            fields["plan_id"] = row.about_id
        fields["kind"] = fields["kind"][:10]
        batch.append(Old(**fields))
    Old.objects.using(alias).bulk_create(batch, batch_size=BATCH)
    Old.objects.using(alias).update(
        created_at=Subquery(moved.filter(code=OuterRef("code")).values("created_at")[:1])
    )
    moved.delete()


class Migration(migrations.Migration):
    dependencies = [
        ("contenttypes", "0002_remove_content_type_name"),
        ("scheduling", "0002_no_double_booking"),
        ("treatments", "0002_append_only"),
        ("outbox", "0001_initial"),
    ]

    operations = [migrations.RunPython(forward, backward)]
