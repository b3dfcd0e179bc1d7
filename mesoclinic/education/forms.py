from django import forms
from django.utils.translation import gettext_lazy as _

from mesoclinic.engine.ask.articles import placeholders, problems
from mesoclinic.engine.knowledge import text
from mesoclinic.lib.forms import Form


def field_name(section_id: str, lang: str) -> str:
    return f"{section_id}__{lang}"


class ArticleForm(Form):
    """Every section's text in English and Turkish. A number can only be a {placeholder}
    from the knowledge base, and every placeholder of the packaged text must stay, so an
    edited article can never state a number the rules do not."""

    note = forms.CharField(label=_("What changed"), max_length=300, required=False)

    def __init__(self, *args, k, arts, article, current=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.k, self.arts, self.article = k, arts, article
        edited = current.sections if current else {}
        self.groups = []
        for sec in article.sections:
            names = []
            for lang, label in (("en", _("English")), ("tr", _("Turkish"))):
                name = field_name(sec.id, lang)
                self.fields[name] = forms.CharField(
                    label=f"{text(sec.title, lang)} ({label})",
                    widget=forms.Textarea(attrs={"rows": 4}),
                    initial=(edited.get(sec.id) or {}).get(lang) or sec.body[lang],
                    max_length=2000,
                )
                names.append(name)
            self.groups.append((sec, [self[n] for n in names]))

    def clean(self):
        data = super().clean()
        for sec in self.article.sections:
            for lang in ("en", "tr"):
                name = field_name(sec.id, lang)
                body = data.get(name)
                if body is None:
                    continue
                found = problems(self.k, self.arts.extra, sec, body, lang)
                missing = set(placeholders(sec.body[lang])) - set(placeholders(body))
                found += [
                    _("keep {%(key)s}: it states a number from the knowledge base") % {"key": m}
                    for m in sorted(missing)
                ]
                for problem in found:
                    self.add_error(name, problem)
        return data

    def edited_sections(self) -> dict[str, dict[str, str]]:
        """Only the sections whose text differs from the packaged one."""
        out = {}
        for sec in self.article.sections:
            bodies = {
                lang: self.cleaned_data[field_name(sec.id, lang)].strip() for lang in ("en", "tr")
            }
            if bodies != {lang: sec.body[lang] for lang in ("en", "tr")}:
                out[sec.id] = bodies
        return out


class AskForm(Form):
    q = forms.CharField(label=_("Question"), max_length=1000)
    lang = forms.ChoiceField(
        label=_("Language"),
        required=False,
        choices=[("", _("Detect")), ("en", _("English")), ("tr", _("Turkish"))],
    )
    protocol = forms.ChoiceField(label=_("Treatment"), required=False)
    day = forms.IntegerField(
        label=_("Days since the session"), required=False, min_value=0, max_value=3650
    )

    def __init__(self, *args, protocols, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["protocol"].choices = [("", _("Not known")), *protocols]
