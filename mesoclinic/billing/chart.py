"""The billing panel of the patient chart: balance, packages and deposits. It is loaded
after the chart (htmx, `billing:panel`), so the chart keeps its fixed query count."""

from mesoclinic.patients.chart import register_panel


@register_panel("billing/_chart_panel.html")
def billing_panel(actor, patient, chart):
    if not actor.can("view_billing"):
        return None
    return {"patient": patient}
