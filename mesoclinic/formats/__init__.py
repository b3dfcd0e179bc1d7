"""Date and time formats per language (settings.FORMAT_MODULE_PATH), over Django's own:
a day as "5 December 2026" / "5 Aralık 2026", a moment with the 24-hour clock, in both
languages. Templates name them (`|date:"DATE_FORMAT"`, `"DATETIME_FORMAT"`); numbers in
links, inputs and markup keep ISO dates (`|date:"Y-m-d"`)."""
