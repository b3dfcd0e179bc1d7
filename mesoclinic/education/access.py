"""Reads of articles and answers. Articles are not patient data: every staff role reads them.

`answer_for_patient` is the portal's entry point (a later issue builds the portal page):
given the patient, it personalises the answer with the protocol of the patient's latest
signed session and the day since it, and uses the clinic's approved article texts.
"""

import datetime as dt
from typing import Any

from django.http import Http404

from mesoclinic.accounts.actor import Actor
from mesoclinic.audit.actions import record
from mesoclinic.engine.ask import ask, load_articles
from mesoclinic.engine.ask.articles import render
from mesoclinic.engine.knowledge import load, text
from mesoclinic.treatments.access import latest_signed_session as latest

from .models import Article, ArticleVersion, VersionStatus


def packaged():
    k = load()
    return k, load_articles(k)


def overrides_for(clinic) -> dict[str, dict[str, str]]:
    """The clinic's approved texts: "article/section" -> {lang: body}, the latest approved
    version of each article winning. One query."""
    latest: dict[int, ArticleVersion] = {}
    versions = (
        ArticleVersion.objects.filter(article__clinic=clinic, status=VersionStatus.APPROVED)
        .select_related("article")
        .order_by("article_id", "-number")
    )
    for v in versions:
        latest.setdefault(v.article_id, v)
    out: dict[str, dict[str, str]] = {}
    for v in latest.values():
        for sid, bodies in v.sections.items():
            out[f"{v.article.slug}/{sid}"] = bodies
    return out


def article_list(actor: Actor) -> list[dict[str, Any]]:
    k, arts = packaged()
    versions: dict[str, list[ArticleVersion]] = {}
    for v in ArticleVersion.objects.filter(article__clinic=actor.clinic).select_related("article"):
        versions.setdefault(v.article.slug, []).append(v)
    rows = []
    for slug, art in arts.articles.items():
        mine = versions.get(slug, [])
        approved = [v.number for v in mine if v.is_approved]
        rows.append(
            {
                "slug": slug,
                "article": art,
                "approved": max(approved, default=0),
                "draft": any(not v.is_approved for v in mine),
            }
        )
    return rows


def get_article(actor: Actor, slug: str) -> dict[str, Any]:
    """The article as the clinic shows it, with its version history."""
    k, arts = packaged()
    art = arts.articles.get(slug)
    if art is None:
        raise Http404("no such article")
    versions = list(
        ArticleVersion.objects.filter(article__clinic=actor.clinic, article__slug=slug)
        .select_related("created_by", "approved_by")
        .order_by("-number")
    )
    current = next((v for v in versions if v.is_approved), None)
    draft = next((v for v in versions if not v.is_approved), None)
    return {
        "k": k,
        "articles": arts,
        "article": art,
        "versions": versions,
        "current": current,
        "draft": draft,
    }


def rendered_sections(k, arts, art, version: ArticleVersion | None, lang: str) -> list[dict]:
    edited = version.sections if version else {}
    out = []
    for sec in art.sections:
        body = (edited.get(sec.id) or {}).get(lang) or sec.body[lang]
        shown, _keys, fact_sources = render(k, arts.extra, body, lang, sec.protocol)
        cites = list(dict.fromkeys([*sec.sources, *fact_sources]))
        out.append(
            {
                "id": sec.id,
                "title": text(sec.title, lang),
                "body": shown,
                "edited": sec.id in edited,
                "sources": k.cite(cites),
            }
        )
    return out


def get_version(actor: Actor, code) -> ArticleVersion:
    try:
        return ArticleVersion.objects.select_related("article").get(
            code=code, article__clinic=actor.clinic
        )
    except (ArticleVersion.DoesNotExist, ValueError, TypeError):
        raise Http404("no such version") from None


def answer(
    actor: Actor,
    question: str,
    lang: str | None = None,
    protocol: str | None = None,
    day: int | None = None,
) -> dict[str, Any]:
    """The staff application's Ask page: the same engine as `mesoclinic ask`."""
    return ask(question, lang, protocol, day, overrides=overrides_for(actor.clinic))


def latest_signed_session(patient):
    return latest(patient)


def answer_for_patient(
    patient, question: str, lang: str | None = None, *, now: dt.datetime, actor=None
) -> dict[str, Any]:
    """Answer a patient's question in the portal.

    `patient` is a patients.Patient (the portal maps its user to the patient). The answer
    is personalised with the protocol of the patient's latest signed session and the whole
    days since it was signed (`now` is passed in: no clock here), e.g. "may I wash my hair?"
    on day 1 after hair mesotherapy. Without a signed session it answers in general. The
    clinic's approved article texts are used. Recorded in the audit log when `actor` is given.
    """
    if now.tzinfo is None:
        raise ValueError("now must be an aware datetime")
    session = latest_signed_session(patient)
    protocol = day = None
    if session is not None and session.protocol in load().protocols:
        protocol = session.protocol
        day = max(int((now - session.signed_at).total_seconds() // 86400), 0)
    result = ask(question, lang, protocol, day, overrides=overrides_for(patient.clinic))
    if actor is not None:
        record(
            actor,
            "ask",
            patient,
            patient=patient,
            summary=f"asked: {result['kind']} {result.get('section') or ''}".strip(),
        )
    return result


def clinic_article(actor: Actor, slug: str) -> Article | None:
    return Article.objects.filter(clinic=actor.clinic, slug=slug).first()
