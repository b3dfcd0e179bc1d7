"""The staff home per role, and the owner's and physician's dashboard."""

import datetime as dt

from django import forms
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from mesoclinic.accounts.decorators import staff_view
from mesoclinic.billing.pricing import settings_for
from mesoclinic.engine.knowledge import load
from mesoclinic.followup.access import open_alert_count
from mesoclinic.lib import clinicday, money, svgplot
from mesoclinic.lib.forms import DateInput
from mesoclinic.lib.forms import Form as GuardedForm
from mesoclinic.photos.access import OUTCOME_MEASURES, outcome_series, outcome_summary

from . import access, stats

MAX_DAYS = 400


class FilterForm(GuardedForm):
    start = forms.DateField(label=gettext_lazy("From"), required=False, widget=DateInput())
    end = forms.DateField(label=gettext_lazy("To"), required=False, widget=DateInput())
    practitioner = forms.ChoiceField(label=gettext_lazy("Practitioner"), required=False)

    def __init__(self, *args, actor, **kwargs):
        super().__init__(*args, **kwargs)
        self.staff = access.practitioners(actor)
        self.fields["practitioner"].choices = [("", _("Everyone"))] + [
            (code, u.display_name) for code, u in self.staff.items()
        ]

    def clean(self):
        data = super().clean()
        if data.get("start") and data.get("end"):
            if data["start"] > data["end"]:
                raise forms.ValidationError(_("The start date is after the end date."))
            if (data["end"] - data["start"]).days > MAX_DAYS:
                raise forms.ValidationError(_("Choose at most 400 days at a time."))
        return data


def _filters(request) -> tuple[FilterForm, stats.Filters]:
    clinic = request.actor.clinic
    today = clinicday.today(clinic)
    form = FilterForm(request.GET or None, actor=request.actor)
    start, end, who = today - dt.timedelta(weeks=12) + dt.timedelta(days=1), today, None
    if form.is_bound and form.is_valid():
        start = form.cleaned_data["start"] or start
        end = form.cleaned_data["end"] or end
        who = form.staff.get(form.cleaned_data["practitioner"] or "")
        if start > end:
            start = end
    return form, stats.Filters(start, end, who)


@staff_view()
def home(request):
    """Where staff land: the front desk its desk, the owner the dashboard, clinicians
    their day (today's sessions, alerts, sessions not yet signed)."""
    role = request.actor.role
    if role == "front_desk":
        return redirect("scheduling:desk")
    if role == "clinic_admin":
        return redirect("dashboard:dashboard")
    return render(request, "dashboard/clinician_home.html", _clinician_day(request.actor))


def _clinician_day(actor) -> dict:
    return {
        **access.clinician_day(actor),
        "alerts": open_alert_count(actor),
        "can_dashboard": actor.can("view_dashboard"),
    }


def _link(name: str, start: dt.date, end: dt.date, f: stats.Filters, **more) -> str:
    query = {"start": start.isoformat(), "end": end.isoformat()}
    if f.practitioner:
        query["practitioner"] = str(f.practitioner.code)
    return reverse(name) + "?" + urlencode({**query, **more})


def _week_link(name: str, week: dt.date, f: stats.Filters) -> str:
    return _link(name, week, week + dt.timedelta(days=6), f)


def _photo_outcomes(actor, f: stats.Filters) -> dict:
    """Photo measures over the series, beside GAIS: the table, and a figure of the share
    of series that moved the better way, each bar linking to the series behind it."""
    rows = outcome_summary(actor, f.start, f.end, practitioner=f.practitioner)
    can_list = actor.can("view_clinical")
    for r in rows:
        r["href"] = (
            _link("dashboard:outcomes", f.start, f.end, f, protocol=r["protocol"])
            if can_list
            else ""
        )
    bars = [
        svgplot.Bar(f"{r['protocol']}: {r['label']}", round(r["improved_pct"], 1), r["href"])
        for r in rows
        if r["improved_pct"] is not None
    ]
    svg = ""
    if bars:
        svg = svgplot.bar_chart(
            bars,
            title=_("Series whose photo measure improved (%)"),
            desc=_("%(n)s series with at least two measured visits in the range")
            % {"n": max((r["series"] for r in rows), default=0)},
            ident="photo-outcomes",
            fmt=lambda v: f"{v:.0f}",
        )
    return {"photo_outcomes": rows, "photo_svg": svg}


@staff_view("view_dashboard")
def dashboard(request):

    actor = request.actor
    form, f = _filters(request)
    billing = settings_for(actor.clinic)
    weeks = stats.weeks(f)
    sessions = stats.sessions_per_week(actor, f)
    takings = stats.takings_per_week(actor, f)
    shows = stats.no_shows(actor, f)
    lang = request.LANGUAGE_CODE

    def amount(v):
        return money.format_amount(int(v), billing.currency, billing.minor_digits, lang)

    sessions_rows = [(w, sessions.get(w, 0)) for w in weeks]
    takings_rows = [(w, takings.get(w, 0)) for w in weeks]
    missed_rows = [(w, shows["per_week"].get(w, 0)) for w in weeks]
    label = lambda w: w.strftime("%d.%m")  # noqa: E731
    can_list = actor.can("view_clinical")
    context = {
        "form": form,
        "filters": f,
        "billing": billing,
        "sessions_rows": sessions_rows,
        "sessions_svg": svgplot.bar_chart(
            [
                svgplot.Bar(label(w), n, _week_link("dashboard:sessions", w, f) if can_list else "")
                for w, n in sessions_rows
            ],
            title=_("Sessions signed per week"),
            desc=_("%(n)s sessions in %(w)s weeks")
            % {"n": sum(sessions.values()), "w": len(weeks)},
            ident="sessions",
        ),
        "takings_rows": [(w, amount(v)) for w, v in takings_rows],
        "takings_svg": svgplot.bar_chart(
            [
                svgplot.Bar(label(w), v, _week_link("dashboard:payments", w, f))
                for w, v in takings_rows
            ],
            title=_("Takings per week"),
            desc=_("%(a)s in %(w)s weeks") % {"a": amount(sum(takings.values())), "w": len(weeks)},
            ident="takings",
            fmt=lambda v: amount(v).split(" ")[0],
        ),
        "missed_rows": missed_rows,
        "missed_svg": svgplot.bar_chart(
            [
                svgplot.Bar(label(w), n, _week_link("dashboard:no_shows", w, f))
                for w, n in missed_rows
            ],
            title=_("Missed appointments per week"),
            desc=_("%(m)s of %(n)s appointments missed")
            % {"m": shows["missed"], "n": shows["total"]},
            ident="missed",
        ),
        "shows": shows,
        "series": stats.series(actor, f),
        "side_effects": stats.side_effects(actor, f),
        "products": stats.products(actor, f) if actor.can("view_stock") else [],
        "outcomes": stats.outcomes(actor, f),
        "outcome_link": (_link("dashboard:outcomes", f.start, f.end, f) if can_list else ""),
        "amount": amount,
        **_photo_outcomes(actor, f),
    }
    se = context["side_effects"]
    context["lots_svg"] = svgplot.bar_chart(
        [
            svgplot.Bar(
                r["lot"], float(r["rate"]), reverse("products:lot", args=[r["code"]]), r["flagged"]
            )
            for r in se["lots"][:20]
        ],
        title=_("Side effects per 100 sessions, by lot"),
        desc=_("Clinic rate %(r)s per 100 sessions; flagged lots are drawn in red")
        % {"r": f"{se['rate']:.1f}"},
        ident="lots",
        fmt=lambda v: f"{v:.1f}",
    )
    return render(request, "dashboard/dashboard.html", context)


def _list(request, template, rows_fn, capability):
    request.actor.require(capability)
    form, f = _filters(request)
    return render(
        request, template, {"form": form, "filters": f, "rows": rows_fn(request.actor, f)}
    )


@staff_view("view_clinical")
def sessions(request):
    return _list(request, "dashboard/list_sessions.html", access.signed_sessions, "view_clinical")


@staff_view("view_billing")
def payments(request):
    return _list(request, "dashboard/list_payments.html", access.payments, "view_billing")


@staff_view("book_appointments")
def no_shows(request):
    return _list(request, "dashboard/list_no_shows.html", access.no_shows, "book_appointments")


@staff_view("view_clinical")
def outcomes(request):
    """The series behind the outcome figures: each plan's first and last measured visit."""
    protocol = request.GET.get("protocol", "")
    if protocol not in load().protocols:
        protocol = ""
    form, f = _filters(request)
    rows = outcome_series(
        request.actor, f.start, f.end, practitioner=f.practitioner, protocol=protocol or None
    )
    for row in rows:
        row.cells = [(row.measures.get(key), unit) for key, _l, unit, _b in OUTCOME_MEASURES]
    return render(
        request,
        "dashboard/list_outcomes.html",
        {
            "form": form,
            "filters": f,
            "protocol": protocol,
            "rows": rows,
            "measures": OUTCOME_MEASURES,
        },
    )
