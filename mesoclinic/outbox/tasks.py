"""Background work, through Django's tasks framework. Arguments are primitives (a message
code as a string, never a secret); every task may run twice, or late, and still does the
right thing: the outbox row decides, not the task."""

from django.tasks import task

from . import delivery
from .models import Message


@task()
def send_message(code: str) -> str:
    """Send the message with this code if it is (still) due and nobody has sent it."""
    pk = Message.objects.filter(code=code).values_list("pk", flat=True).first()
    if pk is None:
        return "missing"
    return delivery.deliver(pk)


@task()
def sweep_messages() -> dict:
    """Send whatever is due: the safety net behind `send_message`, run by the worker loop
    every minute (catches deferred sends after a restart, retries after a back-off, and
    claims of dead workers)."""
    return delivery.sweep()
