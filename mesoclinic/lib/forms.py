"""Form helpers every app's pages share."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.deconstruct import deconstructible
from django.utils.translation import gettext_lazy as _


def bound(request, files: bool = False) -> tuple:
    """A form's data on a POST (even an empty one, so it is validated), else nothing:
    `Form(*bound(request))`, or `Form(*bound(request, files=True))` with uploads."""
    if request.method != "POST":
        return (None, None) if files else (None,)
    return (request.POST, request.FILES) if files else (request.POST,)


class DateInput(forms.DateInput):
    """A browser date picker. Its value is always ISO (YYYY-MM-DD), whatever the language:
    a localised value ("01.12.2026") would leave the picker empty."""

    input_type = "date"

    def __init__(self, **kw):
        kw.setdefault("format", "%Y-%m-%d")
        super().__init__(**kw)


class TimeInput(forms.TimeInput):
    input_type = "time"

    def __init__(self, **kw):
        kw.setdefault("format", "%H:%M")
        super().__init__(**kw)


class DateTimeInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, **kw):
        kw.setdefault("format", "%Y-%m-%dT%H:%M")
        super().__init__(**kw)


def error_summary(form) -> list[dict]:
    """What a form's error summary lists: each field in error with its label, its messages
    and the id to link to (a radio or checkbox group links to its first choice), then the
    errors of the form as a whole (no link). Empty when the form is unbound or valid."""
    if form is None or not form.is_bound or not form.errors:
        return []
    items = []
    for field in form:
        if not field.errors:
            continue
        anchor = field.id_for_label or (f"{field.auto_id}_0" if field.auto_id else "")
        items.append({"label": field.label, "errors": list(field.errors), "anchor": anchor})
    if errors := list(form.non_field_errors()):
        items.append({"label": "", "errors": errors, "anchor": ""})
    return items


# --- control characters (issue 15) ---------------------------------------------------------

_LINE_BREAKS = "\n\r"
_SEPARATORS = "\u2028\u2029\u0085"  # Unicode line and paragraph separators, next line


def _control(ch: str) -> bool:
    """C0 and C1 control characters (NUL, escape, bell...) and DEL."""
    code = ord(ch)
    return code < 32 or 127 <= code < 160


@deconstructible
class NoControlCharacters:
    """Refuse control characters. `multiline` (a note, an address) keeps line breaks and
    tabs; a one-line field (a name, a lot number, a search) keeps neither."""

    def __init__(self, multiline: bool = False):
        self.multiline = multiline

    def __call__(self, value) -> None:
        if not isinstance(value, str):
            return
        for ch in value:
            if ch in _LINE_BREAKS or ch in _SEPARATORS:
                if self.multiline:
                    continue
                raise ValidationError(
                    _("This field is a single line: remove the line breaks."), code="line_break"
                )
            if ch == "\t" and self.multiline:
                continue
            if _control(ch) or ch == "\t":
                raise ValidationError(
                    _("Remove the control character (U+%(code)s) from this field."),
                    code="control_character",
                    params={"code": f"{ord(ch):04X}"},
                )

    def __eq__(self, other):
        return isinstance(other, NoControlCharacters) and other.multiline == self.multiline


def guard_text_fields(form) -> None:
    """Give every text field of `form` the control-character check: line breaks only where
    the field is a multi-line box (a Textarea)."""
    for field in form.fields.values():
        if not isinstance(field, forms.CharField):
            continue
        multiline = isinstance(field.widget, forms.Textarea)
        validator = NoControlCharacters(multiline=multiline)
        if not any(isinstance(v, NoControlCharacters) for v in field.validators):
            field.validators = [*field.validators, validator]


class TextGuard:
    """Mixin for every form: its text fields refuse control characters (checked when the
    form is cleaned, so fields added in a subclass's __init__ are covered too)."""

    def full_clean(self):
        guard_text_fields(self)
        return super().full_clean()


class Form(TextGuard, forms.Form):
    """The project's form: django.forms.Form with the control-character check."""


class ModelForm(TextGuard, forms.ModelForm):
    """The project's model form: django.forms.ModelForm with the control-character check."""


def clean_query(value: str, limit: int = 100) -> tuple[str, str]:
    """A search box's text, trimmed and cut to `limit`, and the problem when it carries
    control characters (then the text is empty): `(query, problem)`."""
    value = (value or "").strip()[:limit]
    try:
        NoControlCharacters()(value)
    except ValidationError as exc:
        return "", exc.messages[0]
    return value, ""
