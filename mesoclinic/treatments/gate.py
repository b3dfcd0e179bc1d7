"""The ready-to-treat gate: a session starts only when every check passes. Each missing
item names itself and links to where it is fixed.

One rule, three readers: the session start (`check_gate`), the day view's glance
(`facts_for_day` + `evaluate`, batched) and the portal (`consent_item`). Each gathers the
facts its own way (one patient, or a whole day in a fixed number of queries) into
`GateFacts`; `evaluate` decides from the facts alone, so the three cannot disagree.
Higher apps add checks of their own through `register_check` (followup: open urgent side
effects), so this module never names them.
"""

import datetime as dt
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from urllib.parse import urlencode

from django.db.models import prefetch_related_objects
from django.urls import reverse
from django.utils.translation import gettext as _

from mesoclinic.accounts.actor import Actor
from mesoclinic.consent import access as consent_access
from mesoclinic.lib import clinicday
from mesoclinic.lib.titles import protocol_title
from mesoclinic.patchtests import access as patch_access
from mesoclinic.products import access as products_access
from mesoclinic.screening import access as screening_access

from . import intervals


@dataclass
class GateItem:
    key: str
    ok: bool
    message: str
    fix_url: str = ""

    def as_dict(self) -> dict:
        return asdict(self)


@dataclass
class GateFacts:
    """What the gate looks at for one plan on one day, gathered beforehand."""

    patient: object
    protocol: str
    products: list  # the plan's cocktail (Product rows)
    screening: object | None  # the day's screening on the current medical history
    consent: object  # consent.validity.ConsentStatus for the protocol and classes
    patch_tests: list = field(default_factory=list)
    usable: set = field(default_factory=set)  # ids of the products with a usable lot
    links: bool = True  # build the fix links (the day view's light rows need none)

    @property
    def classes(self) -> list[str]:
        return sorted({p.product_class for p in self.products})

    @property
    def decision(self) -> str:
        """The screening's decision in force, or "none"."""
        if self.screening is None:
            return "none"
        return screening_access.effective_decision(self.screening)


# A check a higher app adds: (actor, plan, at) -> items. Registered from its AppConfig.ready.
Check = Callable[[Actor, object, dt.datetime], list[GateItem]]
_checks: list[Check] = []


def register_check(check: Check) -> None:
    if check not in _checks:
        _checks.append(check)


def facts_for_plan(actor: Actor, plan, at: dt.datetime) -> GateFacts:
    """The facts for one plan, read through each owner's access (audited reads)."""
    today = clinicday.local_date(at, actor.clinic)  # the clinic's day, as screening's
    patient = plan.patient
    products = list(plan.products.all())
    classes = sorted({p.product_class for p in products})
    return GateFacts(
        patient=patient,
        protocol=plan.protocol,
        products=products,
        screening=screening_access.current_screening(
            actor, patient, plan.protocol, today, audit_as=None
        ),
        consent=consent_access.consent_status(actor, patient, plan.protocol, classes),
        patch_tests=patch_access.patch_tests_for(actor, patient),
        usable=products_access.usable_product_ids(actor, [p.pk for p in products], at),
    )


def facts_for_day(actor: Actor, appointments: list, day: dt.date, at: dt.datetime) -> dict:
    """appointment pk -> (decision of the day's screening, GateFacts or None when the
    appointment is not part of a plan), for a whole day in a fixed number of queries. The
    caller (the day view) checks its own capability; only status words leave."""
    if not appointments:
        return {}
    patients = {a.patient_id: a.patient for a in appointments}
    screenings = screening_access.day_screenings(patients, day)
    plans = [a.plan for a in appointments if a.plan is not None]
    prefetch_related_objects(plans, "products")
    cocktails = {plan.pk: list(plan.products.all()) for plan in plans}
    consents = consent_access.consents_of_patients(patients)
    tests = patch_access.tests_of_patients(patients)
    usable = products_access.usable_product_ids(
        actor, {p.pk for cocktail in cocktails.values() for p in cocktail}, at
    )
    versions = consent_access.text_versions({a.protocol for a in appointments if a.plan})
    out = {}
    for a in appointments:
        record = screenings.get((a.patient_id, a.protocol))
        if a.plan is None:
            decision = screening_access.effective_decision(record) if record else "none"
            out[a.pk] = (decision, None)
            continue
        cocktail = cocktails[a.plan.pk]
        classes = sorted({p.product_class for p in cocktail})
        facts = GateFacts(
            patient=patients[a.patient_id],
            protocol=a.protocol,
            products=cocktail,
            screening=record,
            consent=consent_access.status_for(
                consents.get(a.patient_id, []), a.protocol, classes, versions.get(a.protocol, 0)
            ),
            patch_tests=tests.get(a.patient_id, []),
            usable=usable,
            links=False,
        )
        out[a.pk] = (facts.decision, facts)
    return out


def check_gate(actor: Actor, plan, at: dt.datetime | None = None) -> list[GateItem]:
    at = at or clinicday.now()
    items = evaluate(facts_for_plan(actor, plan, at))
    items.extend(interval_items(actor, plan, at))
    for check in _checks:
        items.extend(check(actor, plan, at))
    return items


def evaluate(facts: GateFacts) -> list[GateItem]:
    """Checks 1-4 from the facts alone: screening, consent, patch tests, lots."""
    return [
        screening_item(facts),
        consent_item(facts),
        *patch_items(facts),
        *lot_items(facts),
    ]


def missing(items: list[GateItem]) -> list[str]:
    """The kinds of failed items, once each, in order (screening, consent, patch, lot...)."""
    out: list[str] = []
    for item in items:
        kind = item.key.split(":")[0]
        if not item.ok and kind not in out:
            out.append(kind)
    return out


def _link(facts: GateFacts, build) -> str:
    return build() if facts.links else ""


def screening_item(facts: GateFacts) -> GateItem:
    """1. a screening of the day, on the current medical history, with the planned products"""
    patient, products, record = facts.patient, facts.products, facts.screening
    screen_url = _link(
        facts,
        lambda: (
            reverse("screening:new", args=[patient.code])
            + "?"
            + urlencode(
                {"protocol": facts.protocol, "products": ",".join(str(p.code) for p in products)}
            )
        ),
    )
    if record is None:
        return GateItem(
            "screening",
            False,
            _("No screening for %(p)s dated today on the current medical history.")
            % {"p": protocol_title(facts.protocol)},
            screen_url,
        )
    decision = facts.decision
    screened = {p.get("name") for p in record.products or []}
    absent = [p.name for p in products if p.name not in screened]
    if decision != "eligible":
        return GateItem(
            "screening",
            False,
            _("Today's screening says %(d)s.") % {"d": screening_access.decision_label(decision)},
            _link(facts, lambda: reverse("screening:detail", args=[record.code])),
        )
    if absent:
        return GateItem(
            "screening",
            False,
            _("Today's screening did not include: %(p)s.") % {"p": ", ".join(absent)},
            screen_url,
        )
    return GateItem(
        "screening",
        True,
        _("Screened today: eligible."),
        _link(facts, lambda: reverse("screening:detail", args=[record.code])),
    )


def consent_item(facts: GateFacts) -> GateItem:
    """2. consent for this protocol and every product class of the cocktail"""
    consent = facts.consent
    consent_url = _link(
        facts,
        lambda: (
            reverse("consent:sign", args=[facts.patient.code])
            + "?"
            + urlencode(
                [("protocol", facts.protocol)] + [("product_class", c) for c in facts.classes]
            )
        ),
    )
    if consent.valid:
        return GateItem(
            "consent",
            True,
            _("Consent is valid for this protocol and these products."),
            consent_url,
        )
    return GateItem(
        "consent",
        False,
        " ".join(consent.reasons) or _("No valid consent for this protocol."),
        consent_url,
    )


def patch_items(facts: GateFacts) -> list[GateItem]:
    """3. a read, negative patch test for every product that needs one"""
    items = []
    for product in facts.products:
        if not product.patch_test_reading_minutes:
            continue  # the product needs no patch test
        patch_url = _link(
            facts,
            lambda product=product: (
                reverse("patchtests:record", args=[facts.patient.code])
                + "?"
                + urlencode({"product": str(product.code)})
            ),
        )
        blocks, negative = patch_access.clearance(
            facts.patch_tests, product.name, product.product_class
        )
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
    return items


def lot_items(facts: GateFacts) -> list[GateItem]:
    """4. a usable lot (not expired, discarded, recalled or empty) of every product"""
    items = []
    for product in facts.products:
        url = _link(facts, lambda product=product: reverse("products:detail", args=[product.code]))
        if product.pk in facts.usable:
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
            % {"n": number, "date": clinicday.shown_day(opens)},
            reverse("treatments:plan", args=[plan.code]),
        )
    ]
