"""Both sides (issue 13): with the box ticked, one tap charts the point and the same point on
the patient's other side (the mirror image of its place), each checked like a click, both
or neither; a point on the midline is charted once."""

from decimal import Decimal

from django.urls import reverse

from mesoclinic.engine.knowledge import load
from mesoclinic.products.models import Lot
from mesoclinic.treatments import actions, diagram
from tests.support import personas

K = load()
HX = {"HX-Request": "true"}


def _post(client, session, lot, **kw):
    data = {
        "stage": "1",
        "technique": "papules",
        "depth_mm": "1.0",
        "volume_ml": "0.05",
        "lot": str(lot.code),
        "both": "on",
        "view": "front",
        "x": "30",
        "y": "55",
    }
    data.update(kw)
    return client.post(reverse("treatments:point_add", args=[session.code]), data, headers=HX)


def test_mirror_finds_the_same_zone_on_the_other_side():
    assert diagram.mirror(K, "face-mesolift", "front", 30, 55) == ("front", 70, 55)
    assert diagram.mirror(K, "face-mesolift", "right", 55, 52) == ("left", 45, 52)
    assert diagram.mirror(K, "face-mesolift", "left", 36.5, 61) == ("right", 63.5, 61)
    assert diagram.mirror(K, "face-mesolift", "front", 50, 20) is None  # the midline
    assert diagram.mirror(K, "body-cellulite", "body", 21, 80) == ("body", 29, 80)
    for protocol in K.protocols:  # every place of a zone with a side mirrors into its twin
        for zone, side, view, x, y in diagram.places_for(K, protocol):
            other = diagram.mirror(K, protocol, view, x, y)
            if side in ("right", "left") and other:
                twin = diagram.locate(K, protocol, *other)
                assert twin == (zone, "left" if side == "right" else "right"), (protocol, zone)


def test_one_tap_charts_both_cheeks(ready, nora, login):
    plan, _product, lot = ready
    session = actions.start_session(personas.actor(nora), plan)
    before = Lot.objects.get(pk=lot.pk).quantity_remaining
    response = _post(login(nora), session, lot)
    assert response.status_code == 200
    points = list(session.points.order_by("id"))
    assert [(p.zone, p.side, p.view, p.x, p.y) for p in points] == [
        ("cheeks", "right", "front", 30, 55),
        ("cheeks", "left", "front", 70, 55),
    ]
    assert all(
        (p.stage, p.technique, p.depth_mm, p.lot_id) == (1, "papules", Decimal("1.0"), lot.pk)
        for p in points
    )
    html = response.content.decode()
    assert "Point 1 charted" in html and "Point 2 charted" in html
    # the box stays ticked for the next tap
    assert 'name="both"' in html and "checked" in html.split('name="both"')[1].split(">")[0]
    assert Lot.objects.get(pk=lot.pk).quantity_remaining == before - Decimal("0.10")


def test_a_point_on_the_midline_is_charted_once(ready, nora, login):
    plan, _product, lot = ready
    session = actions.start_session(personas.actor(nora), plan)
    assert _post(login(nora), session, lot, x="50", y="20").status_code == 200
    assert [(p.zone, p.side) for p in session.points.all()] == [("forehead", "midline")]


def test_both_or_neither(ready, nora, login):
    """The lot holds enough for one point, not two: the second is refused, so neither is
    charted and the stock is as it was."""
    plan, _product, lot = ready
    session = actions.start_session(personas.actor(nora), plan)
    Lot.objects.filter(pk=lot.pk).update(quantity_remaining=Decimal("0.07"))
    response = _post(login(nora), session, lot)
    assert response.status_code == 400
    assert "The point was not charted" in response.content.decode()
    assert not session.points.exists()
    assert Lot.objects.get(pk=lot.pk).quantity_remaining == Decimal("0.07")


def test_without_the_box_one_tap_is_one_point(ready, nora, login):
    plan, _product, lot = ready
    session = actions.start_session(personas.actor(nora), plan)
    assert _post(login(nora), session, lot, both="").status_code == 200
    assert session.points.count() == 1
