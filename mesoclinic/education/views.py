from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from mesoclinic.accounts.decorators import staff_view
from mesoclinic.engine.inputs import InputError
from mesoclinic.engine.knowledge import text
from mesoclinic.lib.language import language
from mesoclinic.lib.titles import protocol_choices

from . import access, actions
from .forms import ArticleForm, AskForm


@staff_view()
def article_list(request):
    return render(
        request,
        "education/list.html",
        {
            "rows": access.article_list(request.actor),
            "lang": language(),
            "can_edit": actions.can_edit(request.actor),
        },
    )


@staff_view()
def article_detail(request, slug):
    a = access.get_article(request.actor, slug)
    lang = language()
    shown = a["current"]
    if request.GET.get("version"):
        shown = next((v for v in a["versions"] if str(v.code) == request.GET["version"]), shown)
    return render(
        request,
        "education/detail.html",
        {
            **a,
            "title": text(a["article"].title, lang),
            "shown": shown,
            "sections": access.rendered_sections(a["k"], a["articles"], a["article"], shown, lang),
            "can_edit": actions.can_edit(request.actor),
        },
    )


@staff_view()
@require_http_methods(["GET", "POST"])
def article_edit(request, slug):
    actions.require_editor(request.actor)
    a = access.get_article(request.actor, slug)
    form = ArticleForm(
        request.POST or None,
        k=a["k"],
        arts=a["articles"],
        article=a["article"],
        current=a["draft"] or a["current"],
    )
    if request.method == "POST" and form.is_valid():
        draft = actions.save_draft(
            request.actor, slug, form.edited_sections(), form.cleaned_data["note"]
        )
        messages.success(request, _("Draft version %(n)s saved.") % {"n": draft.number})
        return redirect(reverse("education:detail", args=[slug]) + f"?version={draft.code}")
    return render(
        request,
        "education/edit.html",
        {**a, "form": form, "title": text(a["article"].title, language())},
        status=400 if form.errors else 200,
    )


@staff_view()
@require_POST
def version_approve(request, code):
    actions.require_editor(request.actor)
    version = access.get_version(request.actor, code)
    actions.approve(request.actor, version)
    messages.success(request, _("Version %(n)s approved.") % {"n": version.number})
    return redirect("education:detail", slug=version.article.slug)


@staff_view()
def ask_page(request):
    k, _arts = access.packaged()
    protocols = protocol_choices(k=k)
    form = AskForm(request.GET if "q" in request.GET else None, protocols=protocols)
    result = None
    if form.is_bound and form.is_valid():
        d = form.cleaned_data
        try:
            result = access.answer(
                request.actor, d["q"], d["lang"] or None, d["protocol"] or None, d["day"]
            )
        except InputError as exc:
            form.add_error("q", str(exc))
    template = (
        "education/_answer.html" if request.headers.get("HX-Request") else "education/ask.html"
    )
    return render(
        request,
        template,
        {"form": form, "result": result},
        status=400 if form.errors else 200,
    )
