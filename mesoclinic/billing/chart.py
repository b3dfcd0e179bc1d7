"""The billing panel of the patient chart: balance, packages and deposits."""

from mesoclinic.patients.chart import register_panel

from . import access


@register_panel("billing/_chart_panel.html")
def billing_panel(actor, patient, chart):
    if not actor.can("view_billing"):
        return None
    return access.account(actor, patient)
