"""The ready-to-treat gate: a session starts only when every check passes. Each missing
item names itself and links to where it is fixed."""

import datetime as dt
from dataclasses import asdict, dataclass
from urllib.parse import urlencode

from django.urls import reverse
from django.utils.translation import gettext as _

from mesoclinic.accounts.actor import Actor
from mesoclinic.lib import clinicday
from mesoclinic.lib.titles import protocol_title

from . import intervals


@dataclass
class GateItem:
    key: str
    ok: bool
    message: str
    fix_url: str = ""

    def as_dict(self) -> dict:
        return asdict(self)


def check_gate(actor: Actor, plan, at: dt.datetime | None = None) -> list[GateItem]:
    from mesoclinic.consent import access as consent_access
    from mesoclinic.patchtests import access as patch_access
    from mesoclinic.products.access import usable_lots
    from mesoclinic.screening import access as screening_access
    from mesoclinic.screening.models import Decision

    at = at or clinicday.now()
    today = clinicday.local_date(at, actor.clinic)  # the clinic's day, as screening's
    patient = plan.patient
    products = list(plan.products.all())
    items: list[GateItem] = []
    screen_url = (
        reverse("screening:new", args=[patient.code])
        + "?"
        + urlencode(
            {"protocol": plan.protocol, "products": ",".join(str(p.code) for p in products)}
        )
    )

    # 1. a screening of today, on the current medical history, with the planned products
    record = screening_access.current_screening(actor, patient, plan.protocol, today, audit_as=None)
    if record is None:
        items.append(
            GateItem(
                "screening",
                False,
                _("No screening for %(p)s dated today on the current medical history.")
                % {"p": protocol_title(plan.protocol)},
                screen_url,
            )
        )
    else:
        decision = screening_access.effective_decision(record)
        screened = {p.get("name") for p in record.products or []}
        missing = [p.name for p in products if p.name not in screened]
        if decision != "eligible":
            items.append(
                GateItem(
                    "screening",
                    False,
                    _("Today's screening says %(d)s.") % {"d": Decision(decision).label},
                    reverse("screening:detail", args=[record.code]),
                )
            )
        elif missing:
            items.append(
                GateItem(
                    "screening",
                    False,
                    _("Today's screening did not include: %(p)s.") % {"p": ", ".join(missing)},
                    screen_url,
                )
            )
        else:
            items.append(
                GateItem(
                    "screening",
                    True,
                    _("Screened today: eligible."),
                    reverse("screening:detail", args=[record.code]),
                )
            )

    # 2. consent for this protocol and every product class of the cocktail
    classes = sorted({p.product_class for p in products})
    consent = consent_access.consent_status(actor, patient, plan.protocol, classes)
    consent_url = (
        reverse("consent:sign", args=[patient.code])
        + "?"
        + urlencode([("protocol", plan.protocol)] + [("product_class", c) for c in classes])
    )
    if consent.valid:
        items.append(
            GateItem(
                "consent",
                True,
                _("Consent is valid for this protocol and these products."),
                consent_url,
            )
        )
    else:
        items.append(
            GateItem(
                "consent",
                False,
                " ".join(consent.reasons) or _("No valid consent for this protocol."),
                consent_url,
            )
        )

    # 3. a read, negative patch test for every product that needs one
    tests = patch_access.patch_tests_for(actor, patient)
    for product in products:
        if not product.patch_test_reading_minutes:
            continue  # the product needs no patch test
        patch_url = (
            reverse("patchtests:record", args=[patient.code])
            + "?"
            + urlencode({"product": str(product.code)})
        )
        blocks, negative = patch_access.clearance(tests, product.name, product.product_class)
        key = f"patch:{product.code}"
        if blocks:
            items.append(GateItem(key, False, " ".join(str(b.reason) for b in blocks), patch_url))
        elif not negative:
            items.append(
                GateItem(
                    key,
                    False,
                    _("No read, negative patch test for %(p)s.") % {"p": product.name},
                    patch_url,
                )
            )
        else:
            items.append(
                GateItem(
                    key,
                    True,
                    _("Patch test for %(p)s read and negative.") % {"p": product.name},
                    patch_url,
                )
            )

    # 4. a usable lot (not expired, discarded, recalled or empty) of every product
    for product in products:
        url = reverse("products:detail", args=[product.code])
        if usable_lots(actor, product, at):
            items.append(
                GateItem(
                    f"lot:{product.code}",
                    True,
                    _("%(p)s: a usable lot is in stock.") % {"p": product.name},
                    url,
                )
            )
        else:
            items.append(
                GateItem(
                    f"lot:{product.code}",
                    False,
                    _(
                        "%(p)s: no lot in stock that may be used (expired, discarded, recalled or empty)."
                    )
                    % {"p": product.name},
                    url,
                )
            )
    items.extend(interval_items(actor, plan, at))
    items.extend(side_effect_items(actor, patient))
    return items


def interval_items(actor: Actor, plan, at: dt.datetime) -> list[GateItem]:
    """5. the session's window is open: the plan's minimum interval since its last signed
    session, and each ingredient class's own (lipolytics: 28 days) since the last one."""
    number, opens, waits = intervals.waits_for_start(plan, at, actor.clinic)
    if waits:
        return [GateItem(w.key, False, w.message, w.fix_url) for w in waits]
    return [
        GateItem(
            "interval",
            True,
            _("Session %(n)s: its window is open (from %(date)s).")
            % {"n": number, "date": opens.isoformat()},
            reverse("treatments:plan", args=[plan.code]),
        )
    ]


def side_effect_items(actor: Actor, patient) -> list[GateItem]:
    """6. no side effect triaged urgent or emergency is still open. It blocks, with no
    override: the fix is to see the patient and record the event's outcome (resolved), so
    the next session follows a physician's look at the last one's complication."""
    from mesoclinic.followup import access as followup_access

    events = followup_access.open_urgent_events(actor, patient)
    if not events:
        return [
            GateItem(
                "side-effects",
                True,
                _("No urgent side effect is open."),
                reverse("patients:chart", args=[patient.code]),
            )
        ]
    return [
        GateItem(
            f"side-effect:{event.code}",
            False,
            _(
                "An %(level)s side effect reported on %(date)s after session %(n)s is still "
                "open: see the patient and record its outcome before another session."
            )
            % {
                "level": event.get_level_display().lower(),
                "date": clinicday.local_date(event.reported_at, actor.clinic).isoformat(),
                "n": event.session.number,
            },
            reverse("followup:event", args=[event.code]),
        )
        for event in events
    ]
