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
