"""Quick settings (issue 13): one tap sets a point's stage, technique and depth. Every preset
lies inside every range the knowledge gives, so a point charted with it is accepted on the
zones that take its technique; a chart started from nothing takes the first preset and the
previous session's volume and lot; the page draws them with plain numbers."""

import datetime as dt
import re
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import translation

from mesoclinic.engine.knowledge import load
from mesoclinic.products.models import Lot
from mesoclinic.treatments import actions, charting
from mesoclinic.treatments.models import TreatmentSession
from mesoclinic.treatments.presets import depth_steps, first_preset, presets_for
from tests.support import personas
from tests.support.treatments import TODAY, point, seal_lifted

K = load()


@pytest.mark.parametrize("protocol", sorted(K.protocols))
def test_every_preset_is_inside_every_range_and_accepted_somewhere(protocol):
    p = K.protocols[protocol]
    groups = presets_for(K, protocol, "en")
    assert groups, protocol  # every protocol offers at least one
    for g in groups:
        stage = p.stages[g.stage - 1] if g.stage else None
        zones = [z for z in p.zones if not stage or z.id in stage.zones]
        for row in g.rows:
            tech = K.techniques[row.technique].depth_mm
            assert not stage or row.technique in stage.techniques
            for depth in row.depths:
                d = Decimal(depth)
                assert re.fullmatch(r"\d+\.\d", depth)  # a plain number, never localised
                assert Decimal(str(tech.min)) <= d <= Decimal(str(tech.max))
                if stage and stage.depth_mm:
                    assert Decimal(str(stage.depth_mm.min)) <= d <= Decimal(str(stage.depth_mm.max))
                accepted = [
                    z.id
                    for z in zones
                    if not charting.check_point(
                        K,
                        protocol,
                        stage=g.stage,
                        zone=z.id,
                        technique=row.technique,
                        depth_mm=d,
                        volume_ml=Decimal("0.05"),
                    )[0]
                ]
                assert accepted, (protocol, g.stage, row.technique, depth)


def test_face_mesolift_presets_follow_its_stages():
    groups = presets_for(K, "face-mesolift", "en")
    got = {(g.stage, r.technique): r.depths for g in groups for r in g.rows}
    assert got == {
        (1, "epidermal-nappage"): ("0.5", "1.0"),
        (1, "papules"): ("1.0", "1.5"),
        # nappage's sourced 2-4 mm does not meet stage 1's 0.5-1.5 mm: no preset
        (2, "papules"): ("1.5", "2.0"),
        (2, "point-by-point"): ("1.5", "2.0"),
        (2, "linear"): ("1.5", "2.0"),
        (3, "papules"): ("1.0", "1.5", "2.0"),
        (3, "point-by-point"): ("1.5", "2.0"),
    }
    assert [g.physician for g in groups] == [False, False, True]
    assert first_preset(groups) == {"stage": 1, "technique": "epidermal-nappage", "depth_mm": "0.5"}
    assert presets_for(K, "face-mesolift", "tr")[0].name == "Metabolik mezoterapi"


def test_depth_steps():
    D = Decimal
    assert depth_steps(D("0.5"), D("1.0")) == ("0.5", "1.0")
    assert depth_steps(D("0.1"), D("1.0")) == ("0.1", "0.5", "1.0")
    assert depth_steps(D("4.0"), D("12.0")) == ("4.0", "6.0", "8.0", "10.0", "12.0")
    assert depth_steps(D("0.0"), D("0.0")) == ("0.0",)
    assert depth_steps(D("2.0"), D("1.5")) == ()


def test_an_empty_chart_takes_the_first_preset_and_the_previous_sessions_volume_and_lot(
    ready, nora, login
):
    plan, _product, lot = ready
    act = personas.actor(nora)
    client = login(nora)
    first = actions.start_session(act, plan)
    page = client.get(reverse("treatments:session", args=[first.code]))
    assert page.context["point_form"].initial == {
        "stage": 1,
        "technique": "epidermal-nappage",
        "depth_mm": "0.5",
        "lot": str(lot.code),  # the only usable lot of the one product
    }
    actions.add_point(
        act, first, point(lot, volume_ml="0.080", stage=2, zone="temples", x=20, y=31)
    )
    actions.sign_off(act, first)
    earlier = first.started_at - dt.timedelta(days=15)
    with seal_lifted(first):
        TreatmentSession.objects.filter(pk=first.pk).update(started_at=earlier, signed_at=earlier)
    second = actions.start_session(act, plan)
    page = client.get(reverse("treatments:session", args=[second.code]))
    # the stage, technique and depth start again from the first preset; the volume and the
    # lot are the previous session's
    assert page.context["point_form"].initial == {
        "stage": 1,
        "technique": "epidermal-nappage",
        "depth_mm": "0.5",
        "volume_ml": Decimal("0.080"),
        "lot": str(lot.code),
    }
    # a lot that may no longer be used is not offered again
    Lot.objects.filter(pk=lot.pk).update(expiry=TODAY - dt.timedelta(days=1))
    page = client.get(reverse("treatments:session", args=[second.code]))
    assert "lot" not in page.context["point_form"].initial


@pytest.mark.parametrize("lang", ["en", "tr"])
def test_the_page_draws_the_presets_with_plain_numbers(ready, nora, login, lang):
    plan, _product, _lot = ready
    session = actions.start_session(personas.actor(nora), plan)
    client = login(nora)
    with translation.override(lang):
        html = client.get(
            reverse("treatments:session", args=[session.code]), HTTP_ACCEPT_LANGUAGE=lang
        ).content.decode()
    buttons = re.findall(r'<button type="button" class="preset"[^>]*>', html)
    assert len(buttons) == 15
    for b in buttons:
        assert re.search(r'data-depth="\d+\.\d"', b), b
    assert 'data-stage="2" data-technique="linear" data-depth="2.0"' in html
    # signed: no presets
    act = personas.actor(nora)
    actions.add_point(act, session, point(_lot))
    actions.sign_off(act, session)
    html = client.get(reverse("treatments:session", args=[session.code])).content.decode()
    assert 'class="preset"' not in html
