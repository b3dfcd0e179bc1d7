"""The charting part of the session page: points placed by a click (htmx), moved and
removed, and charting templates. The settings of the point form (stage, technique, depth,
volume, lot) are carried by every request of the page, so no action forgets them."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from mesoclinic.accounts.decorators import staff_view
from mesoclinic.engine.knowledge import load, text
from mesoclinic.lib import clinicday
from mesoclinic.lib.language import language
from mesoclinic.lib.refusals import flash, show_on_form
from mesoclinic.lib.titles import protocol_title
from mesoclinic.products import access as products_access
from mesoclinic.products.access import usable_lots

from . import access, actions, chart_templates, diagram, presets, recalls
from .forms import SETTINGS, DetailsForm, PointForm, TemplateForm, plain_decimal


def usable_lots_of(actor, products, at):
    """The usable lots of the plan's products, as a queryset for the lot field."""
    return products_access.lot_choices(
        actor, [lot.pk for product in products for lot in usable_lots(actor, product, at)]
    )


def remembered(request, session, lots) -> dict:
    """The settings the next point repeats: those the page sent with this request; on a
    fresh page, the last point charted in the session. A chart started from nothing takes
    the first quick setting of the protocol (first stage, its first technique, the
    shallowest depth every range allows: presets.first_preset), and the volume and lot of
    the last point of the plan's previous session (the lot only while it may be used);
    else, with a one-product cocktail, that product's current usable lot (an open vial,
    else the soonest expiry)."""
    sent = {f: plain_decimal(request.POST.get(f)) for f in SETTINGS if request.POST.get(f)}
    if sent:
        return sent
    last = session.points.select_related("lot").order_by("-id").first()
    if last is not None:
        return _settings_of(last, lots, everything=True)
    out = presets.first_preset(presets.presets_for(load(), session.protocol, language()))
    before = (
        session.plan.sessions.filter(number__lt=session.number, points__isnull=False)
        .order_by("-number")
        .first()
    )
    previous = before and before.points.select_related("lot").order_by("-id").first()
    if previous is not None:
        out.update(_settings_of(previous, lots, everything=False))
    if "lot" not in out:
        products = list(session.plan.products.all())
        if len(products) == 1:
            usable = usable_lots(request.actor, products[0], timezone.now())
            if usable:
                out["lot"] = str(usable[0].code)
    return out


def _settings_of(point, lots, *, everything: bool) -> dict:
    out = {"volume_ml": point.volume_ml}
    if everything:
        out.update(stage=point.stage, technique=point.technique, depth_mm=point.depth_mm)
    if point.lot in lots:
        out["lot"] = str(point.lot.code)
    return out


def charting_context(request, session, point_form=None, details_form=None, warnings=(), added=None):
    k = load()
    lang = language()
    p = k.protocols[session.protocol]
    points = access.points_of(session)
    lots = usable_lots_of(request.actor, session.plan.products.all(), timezone.now())
    point_form = point_form or PointForm(
        protocol=session.protocol, lots=lots, initial=remembered(request, session, lots)
    )
    details_form = details_form or DetailsForm(
        initial={
            "anaesthetic_applied_at": session.anaesthetic_applied_at
            and clinicday.local(session.anaesthetic_applied_at, request.actor.clinic),
            "anaesthetic_removed_at": session.anaesthetic_removed_at
            and clinicday.local(session.anaesthetic_removed_at, request.actor.clinic),
            "pain_score": session.pain_score,
            "reactions": session.reactions,
            "notes": session.notes,
        }
    )
    zone_labels = {z.id: text(z.label, lang) for z in p.zones}
    recalled = [pt for pt in points if pt.lot.recalled_at is not None]
    numbered = list(enumerate(points, 1))
    can_chart = request.actor.can("record_clinical")
    return {
        "session": session,
        "plan": session.plan,
        "patient": session.patient,
        "points": points,
        "numbered": numbered,
        "totals": access.totals(points),
        "zone_labels": zone_labels,
        "techniques": {t: text(k.techniques[t].label, lang) for t in p.techniques},
        "stages": [
            {
                "number": s.number,
                "name": text(s.name, lang),
                "zones": s.zones,
                "physician": s.requires_physician,
            }
            for s in p.stages
        ],
        "views": diagram.views_for(k, session.protocol),
        "presets": presets.presets_for(k, session.protocol, lang) if not session.is_signed else [],
        "regions": diagram.regions_for(k, session.protocol),
        "point_form": point_form,
        "details_form": details_form,
        "warnings": list(warnings),
        "added": [(n, pt) for n, pt in numbered if pt.pk in {a.pk for a in added or ()}],
        "cream_warning": actions.anaesthetic_warning(session),
        "recalled_lots": recalls.recalled_lots(recalled),
        "recalled_count": len(recalled),
        "recall_ack": (session.signed_record or {}).get("recall_acknowledged"),
        "may_sign_recalled": request.actor.can("sign_protocol_decision"),
        "protocol": text(p.title, lang),
        "amendments": list(session.amendments.select_related("by")),
        "has_previous": session.number > 1,
        "templates": chart_templates.templates_for(request.actor, session.protocol)
        if can_chart and not session.is_signed and not points
        else [],
        "template_form": TemplateForm(prefix="tpl") if can_chart and points else None,
    }


def _charting(request, session, status=200, **kw):
    """The charting fragment for htmx, the whole session page otherwise."""
    session.refresh_from_db()
    context = charting_context(request, session, **kw)
    if request.headers.get("HX-Request"):
        return render(request, "treatments/_charting.html", context, status=status)
    return render(request, "treatments/session.html", context, status=status)


@staff_view("record_clinical")
@require_POST
def point_add(request, code):
    session = access.get_session(request.actor, code)
    lots = usable_lots_of(request.actor, session.plan.products.all(), timezone.now())
    form = PointForm(request.POST, protocol=session.protocol, lots=lots)
    if form.is_valid():
        add = actions.add_point_both_sides if form.cleaned_data.get("both") else actions.add_point
        try:
            added, warnings = add(request.actor, session, form.cleaned_data)
        except actions.Refused as exc:
            show_on_form(form, exc)
        else:
            # the next click repeats these settings; the zone and the place are never kept
            form = PointForm(
                protocol=session.protocol, lots=lots, initial=remembered(request, session, lots)
            )
            added = added if isinstance(added, list) else [added]
            return _charting(request, session, point_form=form, warnings=warnings, added=added)
    return _charting(request, session, status=400, point_form=form)


def _refused(request, session, message: str):
    if request.headers.get("HX-Request"):
        lots = usable_lots_of(request.actor, session.plan.products.all(), timezone.now())
        form = PointForm(
            protocol=session.protocol, lots=lots, initial=remembered(request, session, lots)
        )
        form.cleaned_data = {}  # unbound: add_error needs it, else it raises AttributeError
        form.add_error(None, message)
        return _charting(request, session, status=400, point_form=form)
    messages.error(request, message)
    return redirect("treatments:session", code=session.code)


@staff_view("record_clinical")
@require_POST
def point_move(request, code):
    point = access.get_point(request.actor, code)
    session = point.session
    try:
        actions.move_point(
            request.actor,
            point,
            x=float(request.POST.get("x", "")),
            y=float(request.POST.get("y", "")),
            view=request.POST.get("view") or None,
        )
    except (ValueError, actions.Refused) as exc:
        return _refused(
            request,
            session,
            " ".join(getattr(exc, "messages", [_("The point must lie on the diagram.")])),
        )
    if request.headers.get("HX-Request"):
        return _charting(request, session)
    return redirect("treatments:session", code=session.code)


@staff_view("record_clinical")
@require_POST
def point_remove(request, code):
    point = access.get_point(request.actor, code)
    session = point.session
    try:
        actions.remove_point(request.actor, point)
    except actions.Refused as exc:
        return _refused(request, session, " ".join(exc.messages))
    if request.headers.get("HX-Request"):
        return _charting(request, session)
    return redirect("treatments:session", code=session.code)


@staff_view("record_clinical")
@require_POST
def template_save(request, code):
    session = access.get_session(request.actor, code)
    form = TemplateForm(request.POST, prefix="tpl")
    if form.is_valid():
        try:
            template = chart_templates.save_template(
                request.actor,
                session,
                name=form.cleaned_data["name"],
                shared=form.cleaned_data["shared"],
            )
        except actions.Refused as exc:
            flash(request, exc)
        else:
            messages.success(
                request,
                _("Template “%(name)s” saved with %(n)s points.")
                % {"name": template.name, "n": template.points.count()},
            )
    else:
        messages.error(
            request,
            " ".join(f"{form.fields[f].label}: {' '.join(e)}" for f, e in form.errors.items()),
        )
    return redirect("treatments:session", code=session.code)


@staff_view("record_clinical")
@require_POST
def template_apply(request, code, template):
    session = access.get_session(request.actor, code)
    chosen = chart_templates.get_template(request.actor, template)
    try:
        added, notes = chart_templates.apply_template(request.actor, session, chosen)
    except actions.Refused as exc:
        flash(request, exc)
    else:
        messages.success(
            request,
            _("Template “%(name)s”: %(n)s points charted, each checked like a click.")
            % {"name": chosen.name, "n": added},
        )
        for note in notes:
            messages.warning(request, note)
    return redirect("treatments:session", code=session.code)


@staff_view("record_clinical")
@require_http_methods(["GET", "POST"])
def templates(request):
    """The charting templates the user may use: their own and the clinic's."""
    if request.method == "POST":
        chosen = chart_templates.get_template(request.actor, request.POST.get("template"))
        try:
            chart_templates.delete_template(request.actor, chosen)
            messages.success(request, _("Template “%(name)s” deleted.") % {"name": chosen.name})
        except actions.Refused as exc:
            flash(request, exc)
        return redirect("treatments:templates")
    k = load()
    rows = [
        {
            "template": t,
            "protocol": protocol_title(t.protocol, k=k),
        }
        for t in chart_templates.templates_for(request.actor)
    ]
    return render(request, "treatments/templates.html", {"rows": rows})
