"""The patch-test panel of the patient chart, its timeline entries and alerts."""

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from mesoclinic.patients.chart import TimelineEntry, register_panel

from . import access, status

BADGES = {
    status.State.WAITING: "warn",
    status.State.READY: "warn",
    status.State.NEGATIVE: "ok",
    status.State.POSITIVE: "danger",
}


@register_panel("patchtests/_panel.html")
def panel(actor, patient, chart):
    tests = access.patch_tests_for(actor, patient)
    now = timezone.now()
    blocks = {b.test.pk: b.reason for b in status.blocking_tests(tests)}
    rows = []
    for test in tests:
        state = status.state(test, now)
        what = status.describe(test)
        read_url = reverse("patchtests:read", args=[test.code])
        rows.append(
            {
                "test": test,
                "what": what,
                "state": state,
                "badge": BADGES[state],
                "blocks": blocks.get(test.pk, ""),
                "read_url": read_url if not (test.is_read or test.is_voided) else "",
                "void_url": "" if test.is_voided else reverse("patchtests:void", args=[test.code]),
            }
        )
        chart.timeline.append(
            TimelineEntry(
                test.applied_at,
                "patchtest",
                _("Patch test applied: %(what)s") % {"what": what},
                test.applied_by.display_name,
            )
        )
        if test.is_read:
            chart.timeline.append(
                TimelineEntry(
                    test.read_at,
                    "patchtest",
                    _("Patch test read: %(what)s, %(result)s")
                    % {"what": what, "result": test.get_result_display()},
                    test.read_by.display_name if test.read_by else "",
                    flag="danger" if state == status.State.POSITIVE else "ok",
                )
            )
        if test.pk in blocks and state == status.State.POSITIVE:
            chart.alerts.append(("danger", blocks[test.pk]))
        elif test.pk in blocks and state == status.State.READY:
            chart.alerts.append(
                ("warn", _("The patch test to %(what)s can be read now.") % {"what": what})
            )
    return {"patient": patient, "rows": rows}
