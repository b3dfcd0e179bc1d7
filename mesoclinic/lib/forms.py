"""Form helpers every app's pages share."""

from django import forms


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
