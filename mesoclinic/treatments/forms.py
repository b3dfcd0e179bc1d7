from django import forms
from django.utils.translation import gettext_lazy as _

from mesoclinic.engine.knowledge import load, text
from mesoclinic.lib import clinicday, dates
from mesoclinic.lib.forms import DateInput, DateTimeInput, Form
from mesoclinic.lib.language import language

from .diagram import locate, places_for, what_is_at
from .models import View


class PlanForm(Form):
    start_date = forms.DateField(label=_("First session"), widget=DateInput)
    sessions = forms.IntegerField(label=_("Number of sessions"), min_value=1, max_value=30)
    products = forms.ModelMultipleChoiceField(
        label=_("Cocktail (products)"),
        queryset=None,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Choose the products of the cocktail: a plan needs one.")},
    )
    zones = forms.MultipleChoiceField(
        label=_("Zones to treat"), widget=forms.CheckboxSelectMultiple
    )
    concerns = forms.CharField(
        label=_("Target concerns (one per line)"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
    )

    def __init__(self, *args, protocol: str, products, clinic=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.clinic = clinic
        k = load()
        p = k.protocols[protocol]
        self.fields["products"].queryset = products
        self.fields["zones"].choices = [(z.id, text(z.label, language())) for z in p.zones]
        s = p.series.sessions
        self.fields["sessions"].help_text = _("This protocol: %(min)s to %(max)s sessions.") % {
            "min": s.min,
            "max": s.max,
        }
        self.fields["sessions"].initial = s.default
        self.protocol = p

    def clean_start_date(self):
        start = self.cleaned_data["start_date"]
        problem = dates.plan_start_error(start, clinicday.today(self.clinic))
        if problem:
            raise forms.ValidationError(problem)
        return start

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


class DecimalText(forms.DecimalField):
    """A decimal typed in a text box: a typed decimal comma ("0,05") is read as a point.
    A number input would silently drop the comma in many browsers (0,05 -> 5). The value
    shown in the box is never localised."""

    widget = forms.TextInput

    def __init__(self, **kwargs):
        super().__init__(localize=False, **kwargs)
        self.widget.attrs.update({"inputmode": "decimal", "autocomplete": "off", "size": 6})

    def to_python(self, value):
        return super().to_python(plain_decimal(value))


def plain_decimal(value):
    """ "1,5" -> "1.5"; anything else unchanged (the field then says what is wrong)."""
    if isinstance(value, str):
        value = value.strip()
        if value.count(",") == 1 and "." not in value:
            value = value.replace(",", ".")
    return value


# What the next point repeats: a click on the diagram places a point with these.
SETTINGS = ("stage", "technique", "depth_mm", "volume_ml", "lot", "both")


def zone_label(k, zone: str, lang: str) -> str:
    """A zone's label from any protocol that has it (zones are shared between protocols)."""
    for p in k.protocols.values():
        for z in p.zones:
            if z.id == zone:
                return text(z.label, lang)
    return zone


class PointForm(Form):
    """One point: a click gives the diagram, the place and so the zone; without a click the
    zone is chosen from the list and the point goes to the zone's usual place. The settings
    (stage, technique, depth, volume, lot) are kept for the next point."""

    stage = forms.TypedChoiceField(label=_("Stage"), coerce=int, required=False, empty_value=None)
    technique = forms.ChoiceField(label=_("Technique"))
    depth_mm = DecimalText(label=_("Depth (mm)"), min_value=0, max_value=15, decimal_places=1)
    volume_ml = DecimalText(label=_("Volume (mL)"), min_value=0, max_value=10, decimal_places=3)
    lot = forms.ModelChoiceField(label=_("Product lot"), queryset=None, to_field_name="code")
    both = forms.BooleanField(
        label=_("Both sides"),
        required=False,
        help_text=_("Each tap also charts the same point on the patient's other side."),
    )
    zone = forms.CharField(label=_("Zone"), required=False, widget=forms.Select)
    view = forms.ChoiceField(choices=View.choices, required=False, widget=forms.HiddenInput)
    x = forms.FloatField(
        widget=forms.HiddenInput, min_value=0, max_value=100, required=False, localize=False
    )
    y = forms.FloatField(
        widget=forms.HiddenInput, min_value=0, max_value=130, required=False, localize=False
    )

    def __init__(self, *args, protocol: str, lots, **kwargs):
        super().__init__(*args, **kwargs)

        k = load()
        p = k.protocols[protocol]
        lang = language()
        self.k, self.protocol = k, protocol
        self.fields["technique"].choices = [
            (t, text(k.techniques[t].label, lang)) for t in p.techniques
        ]
        self.fields["lot"].queryset = lots
        self.fields["lot"].label_from_instance = lambda lot: (
            _("%(product)s · %(lot)s · expires %(date)s")
            % {"product": lot.product.name, "lot": lot.lot_number, "date": f"{lot.expiry:%Y-%m-%d}"}
        )
        if p.stages:
            self.fields["stage"].required = True
            self.fields["stage"].choices = [
                (s.number, f"{s.number}. {text(s.name, lang)}") for s in p.stages
            ]
        else:
            del self.fields["stage"]
        # "cheeks:left" -> (zone, side, view, x, y); a zone on the midline has one place
        self.places: dict[str, tuple[str, str, str, float, float]] = {}
        choices = [("", _("(click the diagram, or choose)"))]
        sides = {"right": _("right"), "left": _("left")}
        for zone, side, view, x, y in places_for(k, protocol):
            label = text(next(z.label for z in p.zones if z.id == zone), lang)
            value = f"{zone}:{side}" if side in sides else zone
            self.places[value] = (zone, side, view, x, y)
            self.places.setdefault(zone, (zone, side, view, x, y))  # a bare zone id: right
            choices.append((value, f"{label}, {sides[side]}" if side in sides else label))
        self.fields["zone"].widget.choices = choices
        for name in SETTINGS:
            if name in self.fields:
                self.fields[name].widget.attrs["class"] = "setting"
        # drawn beside the diagrams with the quick settings, and sent with the point form
        self.fields["both"].widget.attrs["form"] = "point-form"

    @property
    def settings_fields(self):
        return [self[name] for name in SETTINGS if name in self.fields and name != "both"]

    def clean_zone(self):
        zone = self.cleaned_data["zone"]
        if zone and zone not in self.places:
            raise forms.ValidationError(_("Choose one of this protocol's zones."))
        return zone

    def clean(self):
        data = super().clean()
        if "zone" in self.errors or "x" in self.errors or "y" in self.errors:
            return data
        x, y, view = data.get("x"), data.get("y"), data.get("view")
        if x is not None or y is not None:
            if x is None or y is None or not view:
                raise forms.ValidationError(_("A click needs its diagram and its place."))
            hit = locate(self.k, self.protocol, view, x, y)
            if hit is None:
                raise forms.ValidationError(
                    self._nowhere(what_is_at(self.k, self.protocol, view, x, y))
                )
            data["zone"], data["side"] = hit
        elif data.get("zone"):
            zone, side, view, x, y = self.places[data["zone"]]
            data.update(zone=zone, side=side, view=view, x=x, y=y)
        else:
            raise forms.ValidationError(
                _("Click the diagram where the point goes, or choose its zone.")
            )
        return data

    def _nowhere(self, what: str | None) -> str:
        lang = language()
        zones = ", ".join(text(z.label, lang) for z in self.k.protocols[self.protocol].zones)
        if what:
            return _("%(zone)s is not a zone of this protocol; its zones are: %(list)s.") % {
                "zone": zone_label(self.k, what, lang),
                "list": zones,
            }
        return _("That spot is outside this protocol's zones: %(list)s.") % {"list": zones}


class TemplateForm(Form):
    name = forms.CharField(label=_("Template name"), max_length=80)
    shared = forms.BooleanField(label=_("Share with the whole clinic"), required=False)

    def clean_name(self):
        return " ".join(self.cleaned_data["name"].split())


class DetailsForm(Form):
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
            (s, text(k.messages.symptoms[s], language())) for s in usual
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
