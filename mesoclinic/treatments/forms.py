from django import forms
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from mesoclinic.engine.knowledge import load, text

from .models import View


def _lang() -> str:
    return (get_language() or "en")[:2]


class DateTimeInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, **kw):
        super().__init__(format="%Y-%m-%dT%H:%M", **kw)


class PlanForm(forms.Form):
    start_date = forms.DateField(
        label=_("First session"), widget=forms.DateInput(attrs={"type": "date"})
    )
    sessions = forms.IntegerField(label=_("Number of sessions"), min_value=1, max_value=30)
    products = forms.ModelMultipleChoiceField(
        label=_("Cocktail (products)"),
        queryset=None,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    zones = forms.MultipleChoiceField(
        label=_("Zones to treat"), widget=forms.CheckboxSelectMultiple
    )
    concerns = forms.CharField(
        label=_("Target concerns (one per line)"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
    )

    def __init__(self, *args, protocol: str, products, **kwargs):
        super().__init__(*args, **kwargs)
        k = load()
        p = k.protocols[protocol]
        self.fields["products"].queryset = products
        self.fields["zones"].choices = [(z.id, text(z.label, _lang())) for z in p.zones]
        s = p.series.sessions
        self.fields["sessions"].help_text = _("This protocol: %(min)s to %(max)s sessions.") % {
            "min": s.min,
            "max": s.max,
        }
        self.fields["sessions"].initial = s.default
        self.protocol = p

    def clean_sessions(self):
        n = self.cleaned_data["sessions"]
        s = self.protocol.series.sessions
        if not s.min <= n <= s.max:
            raise forms.ValidationError(
                _("This protocol has %(min)s to %(max)s sessions.") % {"min": s.min, "max": s.max}
            )
        return n

    def clean_concerns(self):
        return [line.strip() for line in self.cleaned_data["concerns"].splitlines() if line.strip()]


class PointForm(forms.Form):
    stage = forms.TypedChoiceField(label=_("Stage"), coerce=int, required=False, empty_value=None)
    view = forms.ChoiceField(label=_("Diagram"), choices=View.choices)
    x = forms.FloatField(widget=forms.HiddenInput, min_value=0, max_value=100, required=False)
    y = forms.FloatField(widget=forms.HiddenInput, min_value=0, max_value=130, required=False)
    zone = forms.ChoiceField(label=_("Zone"))
    technique = forms.ChoiceField(label=_("Technique"))
    depth_mm = forms.DecimalField(
        label=_("Depth (mm)"), min_value=0, max_value=15, decimal_places=1
    )
    volume_ml = forms.DecimalField(
        label=_("Volume (mL)"), min_value=0, max_value=10, decimal_places=3
    )
    lot = forms.ModelChoiceField(label=_("Product lot"), queryset=None, to_field_name="code")

    def __init__(self, *args, protocol: str, lots, **kwargs):
        super().__init__(*args, **kwargs)
        k = load()
        p = k.protocols[protocol]
        lang = _lang()
        self.fields["zone"].choices = [(z.id, text(z.label, lang)) for z in p.zones]
        self.fields["technique"].choices = [
            (t, text(k.techniques[t].label, lang)) for t in p.techniques
        ]
        self.fields["lot"].queryset = lots
        self.fields["lot"].label_from_instance = lambda lot: (
            f"{lot.product.name} · {lot.lot_number} · exp {lot.expiry:%Y-%m-%d}"
        )
        if p.stages:
            self.fields["stage"].required = True
            self.fields["stage"].choices = [
                (s.number, f"{s.number}. {text(s.name, lang)}") for s in p.stages
            ]
        else:
            del self.fields["stage"]
        from .diagram import anchors_for

        self.anchors = anchors_for(k, protocol)

    def clean(self):
        data = super().clean()
        zone = data.get("zone")
        if zone and (data.get("x") is None or data.get("y") is None):
            view, x, y = self.anchors[zone]  # no click on the diagram: the zone's usual place
            data.update(view=view, x=x, y=y)
        return data


class DetailsForm(forms.Form):
    anaesthetic_applied_at = forms.DateTimeField(
        label=_("Anaesthetic cream applied at"), required=False, widget=DateTimeInput()
    )
    anaesthetic_removed_at = forms.DateTimeField(
        label=_("Anaesthetic cream removed at"), required=False, widget=DateTimeInput()
    )
    pain_score = forms.IntegerField(
        label=_("Pain score (0-10)"), min_value=0, max_value=10, required=False
    )
    reactions = forms.MultipleChoiceField(
        label=_("Immediate reactions"), required=False, widget=forms.CheckboxSelectMultiple
    )
    notes = forms.CharField(
        label=_("Notes"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        k = load()
        usual = [
            "redness",
            "swelling",
            "bruising",
            "mild_pain",
            "burning",
            "itching",
            "blanching",
            "hives",
            "other",
        ]
        self.fields["reactions"].choices = [
            (s, text(k.messages.symptoms[s], _lang())) for s in usual
        ]

    def clean(self):
        data = super().clean()
        a, r = data.get("anaesthetic_applied_at"), data.get("anaesthetic_removed_at")
        if a and r and r < a:
            self.add_error(
                "anaesthetic_removed_at", _("The cream cannot be removed before it was applied.")
            )
        if r and not a:
            self.add_error("anaesthetic_applied_at", _("Give the time the cream was applied."))
        return data


class AmendForm(DetailsForm):
    reason = forms.CharField(
        label=_("Why is the record amended?"),
        widget=forms.Textarea(attrs={"rows": 2}),
        min_length=5,
    )
    remove = forms.MultipleChoiceField(
        label=_("Remove these points"), required=False, widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args, points=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["remove"].choices = [
            (str(p.code), f"#{i} {p.zone} · {p.volume_ml} mL · {p.lot.lot_number}")
            for i, p in enumerate(points, 1)
        ]
        self.order_fields(["reason"])
