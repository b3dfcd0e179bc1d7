"""Stock, screenings, patch tests, consents, plans and sessions for the demo patients.

Everything goes through the apps' own actions, as the clinic's staff would do it, so every
record passes the same checks and leaves the same audit trail as a real one. The nurse
does the clinical work; the physician (dr.demir) overrides reviews, signs sessions with
physician-only points and recalls a lot.

What each stage of `data.build` gets (the decision of a screening is the engine's,
read from the patient's medical history, never assumed):
- stage 2: a screening (face mesolift mostly; hair, pigmentation, cellulite), some for a
  later date, one made stale by a newer medical history; a review is left to the physician.
- stage 3: screened for a face mesolift, reviews overridden by the physician, a lidocaine
  allergy rescreened with a lidocaine-free cocktail; patch tests (one positive, one
  pending) and consent when the patient may be treated.
- stage 4: as stage 3, then a plan and sessions: 1-3 signed sessions with charted points,
  one session in progress, one plan completed, one signed session amended, one plan
  waiting for its first session.

Time: a screening can only be made for today or later, and the ready-to-treat gate wants a
screening dated the day of the session, so the demo's sessions all happen today, spread
over the hours before the command runs (a completed plan therefore has its four sessions
on one day). Lots are received and patch tests applied and read on earlier dates. The
patients of `history` are treated weeks ago instead, recorded as of those dates
(history.py), and their next sessions are booked this week.
"""

import datetime as dt
import random
from collections import Counter
from decimal import Decimal

from django.utils import timezone

from mesoclinic.accounts.actor import Actor
from mesoclinic.consent.actions import sign_consent
from mesoclinic.consent.versions import current_template
from mesoclinic.lib import clinicday
from mesoclinic.patchtests.actions import read_patch_test, record_patch_test
from mesoclinic.patients.actions import record_intake
from mesoclinic.products.actions import create_product, recall_lot, receive_lot
from mesoclinic.screening.actions import override_review, screen_patient
from mesoclinic.treatments import actions as treatments
from mesoclinic.treatments import amendments

from .catalogue import LOTS, PRODUCT_DEFAULTS, PRODUCTS, RECALL_REASON, RECALLED_LOT
from .history import add_history

EXPOSED = 3  # the first treated patients get the lot that is recalled later
# protocol -> the products screened (and planned) for it
COCKTAILS = {
    "face-mesolift": ["booster", "cocktail"],
    "hair": ["hair"],
    "facial-pigmentation": ["cocktail"],
    "body-cellulite": ["silicon"],
}
STAGE2_PROTOCOLS = [
    "face-mesolift",
    "hair",
    "face-mesolift",
    "facial-pigmentation",
    "body-cellulite",
]
OVERRIDE_REASONS = {
    "keloid": "Seen in clinic: a single small earlobe keloid after piercing, none since. "
    "Treat as planned, test spot first; discussed with the patient.",
    "unanswered-acute_illness": "Asked in person: no fever, flu or cough today. The question "
    "was missed on the form; the patient will complete it at the next visit.",
}
DEFAULT_OVERRIDE = (
    "Reviewed the medical history with the patient in person: treatment may go ahead."
)

# Points of a face mesolift, as the treatments tests chart them: stage, zone, technique,
# depth, and where the point sits on the front diagram (0-100 across, 0-130 down).
FACE_POINTS = [
    (1, "forehead", "papules", "1.0", 50, 22),
    (1, "cheeks", "epidermal-nappage", "0.5", 30, 66),
    (1, "cheeks", "epidermal-nappage", "0.5", 70, 66),
    (1, "perioral", "papules", "1.0", 50, 90),
    (1, "chin", "epidermal-nappage", "0.5", 50, 106),
    (2, "hairline", "linear", "2.0", 50, 8),
    (2, "temples", "papules", "2.0", 18, 32),
    (2, "jawline", "point-by-point", "2.0", 26, 96),
    (2, "jawline", "linear", "1.8", 74, 96),
    (3, "nasolabial", "papules", "1.0", 40, 76),
    (3, "forehead", "point-by-point", "1.5", 58, 18),
    (3, "periorbital", "papules", "1.0", 34, 46),
]
FACE_ZONES = sorted({p[1] for p in FACE_POINTS})
VOLUME = {1: ("0.050", "0.080"), 2: ("0.100", "0.120"), 3: ("0.050",)}

# What happens to the treatable stage-4 patients, in order: sessions as "basic" (stages 1-2,
# a nurse signs) or "full" (stages 1-3, the physician signs); "open" is left in progress.
# Today's sessions: at most one per plan (the gate keeps the plan's minimum interval); the
# series that span weeks, a completed one included, are recorded in the past (history.py).
SCRIPTS = [
    ("amended", ["full"]),
    ("in progress", ["open"]),
    ("one session", ["basic"]),
    ("one session", ["full"]),
    ("waiting", []),
    ("one session", ["basic"]),
]
LATER_SCRIPTS = [("one session", ["basic"]), ("one session", ["full"]), ("waiting", [])]
MAX_WITH_SESSIONS = 12  # beyond this the plans wait for their first session (big demos)


def add_clinical(stages, users, clinic, today, out, history=()) -> list:
    """Returns the plans of `history`: patients treated over the past weeks (history.py)."""
    demo = _Demo(users, clinic, today)
    demo.stock()
    out.write("Stock received; screening, testing and treating...")
    treatable = []
    stage2 = 0
    history_ids = {p.pk for p in history}
    for patient, stage in stages:
        if patient.pk in history_ids:
            continue
        if stage == 2:
            demo.stage2(patient, stage2)
            stage2 += 1
        elif stage >= 3:
            cleared = demo.clear(patient, stage)
            if stage == 4 and cleared is not None:
                treatable.append((patient, *cleared))
    demo.treat(treatable)
    plans = add_history(demo, list(history), out)
    demo.recall()
    demo.report(out)
    return plans


class _Demo:
    def __init__(self, users, clinic, today):
        self.today = today
        self.clinic = clinic
        self.now = timezone.now()
        self.rng = random.Random(2027)
        self.nurse = Actor(users["nurse"], clinic, "nurse", "127.0.0.1", "demo")
        self.physician = Actor(users["physician"], clinic, "physician", "127.0.0.1", "demo")
        self.products = {}
        self.lots = {}
        self.count = Counter()
        self.decisions = Counter()
        self.exposed = set()
        self.special_patch_tests = ["positive", "pending"]
        self.rescreened = False

    # --- time ---------------------------------------------------------------------------

    def at(self, day: dt.date, hour: int, minute: int = 0) -> dt.datetime:
        return clinicday.aware(day, dt.time(hour, minute), self.clinic, strict=False)

    def earlier(self, minutes: float) -> dt.datetime:
        """`minutes` before now, but not before today's first minute."""
        first = self.at(self.today, 0, 1)
        return min(max(self.now - dt.timedelta(minutes=minutes), first), self.now)

    # --- stock --------------------------------------------------------------------------

    def stock(self) -> None:
        for key, data in PRODUCTS.items():
            self.products[key] = create_product(self.nurse, {**PRODUCT_DEFAULTS, **data})
        for key, number, expiry, quantity, received in LOTS:
            self.lots[number] = receive_lot(
                self.nurse,
                self.products[key],
                lot_number=number,
                expiry=self.today + dt.timedelta(days=expiry),
                quantity=quantity,
                at=self.at(self.today - dt.timedelta(days=received), 9, 30),
            )
        self.count["products"] = len(PRODUCTS)
        self.count["lots"] = len(LOTS)

    # --- screening ----------------------------------------------------------------------

    def screen(self, patient, protocol, products, planned=None):
        screening = screen_patient(
            self.nurse,
            patient,
            protocol,
            planned or self.today,
            [self.products[p].as_engine_product() for p in products],
        )
        self.decisions[screening.decision] += 1
        return screening

    def override(self, screening) -> str:
        rules = [f["rule"] for f in screening.findings if f["decision"] == "review"]
        reason = next((OVERRIDE_REASONS[r] for r in rules if r in OVERRIDE_REASONS), None)
        override = override_review(self.physician, screening, reason or DEFAULT_OVERRIDE)
        self.count["overrides"] += 1
        return override.decision

    def new_intake(self, patient, note, answers=None, medicines=()):
        old = patient.current_intake
        record_intake(
            self.nurse,
            patient,
            answers={**old.answers, **(answers or {})},
            fitzpatrick=old.fitzpatrick,
            medicines=[*old.medicines, *medicines],
            conditions=old.conditions,
            notes=note,
        )

    def stage2(self, patient, n: int) -> None:
        """Screened only: for today or a coming appointment; a review waits for the physician."""
        protocol = STAGE2_PROTOCOLS[n % len(STAGE2_PROTOCOLS)]
        later = n % 3 == 2
        planned = self.today + dt.timedelta(days=self.rng.randint(3, 14)) if later else None
        screening = self.screen(patient, protocol, COCKTAILS[protocol], planned)
        self.count["for a later date"] += later
        if n == 0 and screening.decision == "eligible":
            # the patient calls back: ibuprofen since the screening. The screening is no
            # longer current: it must be made again on the new medical history.
            self.new_intake(
                patient,
                "Phoned: took ibuprofen yesterday for a headache.",
                answers={"last_aspirin_or_nsaid": (self.today - dt.timedelta(days=1)).isoformat()},
            )
            self.count["stale screenings"] += 1

    def clear(self, patient, stage: int):
        """Screen for a face mesolift, and when treatment is allowed: patch tests and
        consent. Returns (screening, products) when the patient may be treated, else None."""
        protocol = "face-mesolift"
        products = list(COCKTAILS[protocol])
        screening = self.screen(patient, protocol, products)
        if stage == 3 and not self.rescreened and screening.decision == "eligible":
            self.rescreened = True
            # a newer medical history after the first screening: screened again on it
            self.new_intake(
                patient,
                "New supplement reported at the visit.",
                medicines=[{"name": "Cholecalciferol (vitamin D)", "prescribed": False}],
            )
            self.count["stale screenings"] += 1
            screening = self.screen(patient, protocol, products)
        decision = screening.decision
        if decision == "review":
            decision = self.override(screening)
        if decision == "contraindicated" and self._allergy_only(screening):
            # the lidocaine in the booster: a cocktail without it is screened instead
            products = [p for p in products if p != "booster"]
            screening = self.screen(patient, protocol, products)
            decision = screening.decision
            if decision == "review":
                decision = self.override(screening)
        if decision != "eligible":
            return None
        tested = [self.products[p] for p in products if self.products[p].patch_test_reading_minutes]
        # not yet treated (stage 3): one reacts to the booster, one is still being read
        outcome = "negative"
        if tested and stage == 3 and self.special_patch_tests:
            outcome = self.special_patch_tests.pop(0)
        for product in tested:
            self.patch_test(patient, product, outcome)
        sign_consent(
            self.nurse,
            patient,
            template=current_template(protocol),
            product_classes=sorted({self.products[p].product_class for p in products}),
            signer_name=patient.full_name,
            typed_signature=True,
        )
        self.count["consents"] += 1
        return screening, products

    @staticmethod
    def _allergy_only(screening) -> bool:
        worst = [f["rule"] for f in screening.findings if f["decision"] == "contraindicated"]
        return bool(worst) and set(worst) == {"allergy-ingredient"}

    def patch_test(self, patient, product, outcome: str) -> None:
        if outcome == "pending":  # applied a few minutes ago, to be read later today
            applied = self.earlier(10)
        else:
            day = self.today - dt.timedelta(days=self.rng.randint(3, 12))
            applied = self.at(day, self.rng.choice([10, 11, 14, 16]), self.rng.choice([0, 15, 30]))
        test = record_patch_test(
            self.nurse,
            patient,
            substance=product.name,
            product_class=product.product_class,
            site="inner_forearm",
            applied_at=applied,
            reading_minutes=product.patch_test_reading_minutes,
        )
        if outcome != "pending":
            read_patch_test(
                self.nurse,
                test,
                result=outcome,
                read_at=applied + dt.timedelta(minutes=product.patch_test_reading_minutes + 5),
                reaction_notes="Red, itchy wheal of about 8 mm at the test site."
                if outcome == "positive"
                else "",
            )
        self.count[f"patch tests {outcome}"] += 1

    # --- plans and sessions -------------------------------------------------------------

    def treat(self, treatable) -> None:
        scripts = []
        for n, (patient, screening, products) in enumerate(treatable):
            if n < len(SCRIPTS):
                name, sessions = SCRIPTS[n]
            elif n < MAX_WITH_SESSIONS:
                name, sessions = LATER_SCRIPTS[n % len(LATER_SCRIPTS)]
            else:
                name, sessions = "waiting", []
            scripts.append((patient, screening, products, name, sessions))
        total = sum(len(s[4]) for s in scripts)
        # today's sessions, 25 minutes apart, the last one starting a few minutes ago
        today_so_far = (self.now - self.at(self.today, 0, 1)).total_seconds() / 60 - 3
        span = max(min(total * 25, today_so_far), 0)
        step = span / max(total, 1)
        slots = [self.earlier(3 + span - i * step) for i in range(total)]
        for n, (patient, screening, products, name, sessions) in enumerate(scripts):
            plan = treatments.create_plan(
                self.nurse,
                patient,
                screening,
                start_date=self.today,
                sessions=4,
                products=[self.products[p] for p in products],
                concerns=self.rng.sample(
                    ["fine lines", "dull skin", "dehydrated skin", "loss of elasticity"], 2
                ),
                zones=FACE_ZONES,
            )
            self.count["plans"] += 1
            done = [self.session(plan, patient, products, k, slots.pop(0), n) for k in sessions]
            if name == "amended":
                self.amend(done[0])
            plan.refresh_from_db()
            self.count["completed plans"] += plan.status == "completed"

    def lot(self, key: str, n: int):
        """The lot the n-th treated patient gets: the first ones get the lot recalled later,
        and the booster lot that expires soonest (first expiring, first out)."""
        if key == "cocktail":
            return self.lots[RECALLED_LOT if n < EXPOSED else "RV-25009"]
        return self.lots["HB-2412" if n < EXPOSED else "HB-2503"]

    def session(self, plan, patient, products, kind: str, start: dt.datetime, n: int):
        session = treatments.start_session(self.nurse, plan, at=start)
        details = {"pain_score": self.rng.randint(1, 4) if kind != "open" else None}
        if not patient.current_intake.answers.get("allergies"):  # the cream has lidocaine
            details["anaesthetic_applied_at"] = start - dt.timedelta(
                minutes=self.rng.randint(32, 50)
            )
            details["anaesthetic_removed_at"] = start - dt.timedelta(minutes=2)
        treatments.update_details(self.nurse, session, details)
        stages = {1} if kind == "open" else {1, 2} if kind == "basic" else {1, 2, 3}
        points = [p for p in FACE_POINTS if p[0] in stages]
        if kind == "open":
            points = points[:3]
        for k, (stage, zone, technique, depth, x, y) in enumerate(points):
            # the metabolic stage with the vitamin cocktail, the deeper ones with the booster
            key = "cocktail" if stage == 1 or "booster" not in products else "booster"
            volume = Decimal(self.rng.choice(VOLUME[stage]))
            lot = self.lot(key, n)
            treatments.add_point(
                self.nurse,
                session,
                {
                    "stage": stage,
                    "view": "front",
                    "x": x + self.rng.uniform(-3, 3),
                    "y": y + self.rng.uniform(-3, 3),
                    "zone": zone,
                    "technique": technique,
                    "depth_mm": depth,
                    "volume_ml": str(volume),
                    "lot": lot,
                },
                at=min(start + dt.timedelta(seconds=20 * k), self.now),
            )
            self.count["points"] += 1
            if lot.lot_number == RECALLED_LOT:
                self.exposed.add(patient.pk)
        self.count["sessions"] += 1
        if kind == "open":
            self.count["open sessions"] += 1
            return session
        signer = self.physician if 3 in stages else self.nurse
        self.count["signed sessions"] += 1
        return treatments.sign_off(signer, session)

    def amend(self, session) -> None:
        first = session.points.order_by("id").first()
        amendments.amend(
            self.physician,  # a full session holds a physician-only stage: a physician amends it
            session,
            reason="The forehead point was charted twice; the pain score was the patient's "
            "second answer.",
            details={"pain_score": 2 if session.pain_score != 2 else 3},
            remove_points=[first],
        )
        self.count["amended sessions"] += 1

    def recall(self) -> None:
        recall_lot(self.physician, self.lots[RECALLED_LOT], RECALL_REASON)

    # --- summary ------------------------------------------------------------------------

    def report(self, out) -> None:
        c, d = self.count, self.decisions
        cocktail = PRODUCTS["cocktail"]["name"]
        expired = sum(expiry < 0 for _p, _n, expiry, _q, _r in LOTS)
        soon = sum(0 <= expiry <= 30 for _p, _n, expiry, _q, _r in LOTS)
        out.write(
            f"Created {c['products']} products and {c['lots']} lots ({expired} expired, {soon} "
            f"expiring within 30 days, low stock of {PRODUCTS['silicon']['name']})."
        )
        out.write(
            f"Created {d.total()} screenings: {d['eligible']} eligible, {d['review']} for "
            f"physician review ({c['overrides']} overridden), {d['defer']} deferred, "
            f"{d['contraindicated']} contraindicated; {c['for a later date']} for a later "
            f"date, {c['stale screenings']} made before a newer medical history."
        )
        out.write(
            f"Created {c['patch tests negative'] + c['patch tests positive'] + c['patch tests pending']} "
            f"patch tests: {c['patch tests negative']} negative, {c['patch tests positive']} "
            f"positive, {c['patch tests pending']} pending."
        )
        out.write(f"Created {c['consents']} consents.")
        out.write(
            f"Created {c['plans']} treatment plans ({c['completed plans']} completed) and "
            f"{c['sessions']} sessions: {c['signed sessions']} signed "
            f"({c['amended sessions']} amended), {c['open sessions']} in progress, "
            f"{c['points']} charted points; {c['history sessions']} of the sessions on "
            f"earlier dates, {c['answered check-ins']} check-ins answered."
        )
        out.write(
            f"Recalled lot {RECALLED_LOT} of {cocktail} after use: "
            f"{len(self.exposed)} patients received it."
        )
