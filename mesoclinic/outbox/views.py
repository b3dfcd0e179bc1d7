"""Staff pages: the messages the outbox gave up on, to try again or mark handled."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from mesoclinic.accounts.decorators import staff_view

from . import access, actions
from .delivery import retry_window


@staff_view("handle_failed_messages")
def failed(request):
    return render(
        request,
        "outbox/failed.html",
        {
            "failed": access.failed_messages(request.actor),
            "window_hours": round(retry_window().total_seconds() / 3600),
        },
    )


@staff_view("handle_failed_messages")
@require_POST
def try_again(request, code):
    message = access.get_message(request.actor, code)
    if actions.try_again(request.actor, message):
        messages.success(request, _("The message will be sent again in a moment."))
    return redirect("outbox:failed")


@staff_view("handle_failed_messages")
@require_POST
def handled(request, code):
    message = access.get_message(request.actor, code)
    if actions.mark_handled(request.actor, message):
        messages.success(request, _("Marked as handled."))
    return redirect("outbox:failed")
