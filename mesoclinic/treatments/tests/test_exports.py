"""The lot exposure (recall) export: the one CSV writer, so a patient's name or phone
cannot run as a formula and the lot number cannot break the download's file name."""

import csv
import io

from django.urls import reverse

from mesoclinic.treatments import actions
from tests.support import personas
from tests.support.products import make_lot, make_product
from tests.support.treatments import point


def test_the_lot_exposure_export_is_guarded(login, alice, nora, ready):
    plan, _product, lot = ready
    patient = plan.patient
    patient.given_name, patient.family_name = '=HYPERLINK("http://x.example"', '"x")'
    patient.phone = "+1 555 0100"
    patient.save()
    act = personas.actor(nora)
    odd = make_lot(act, make_product(act, name="Booster 2"), lot_number='Q"7\n=1')
    actions.add_point(act, actions.start_session(act, plan), point(lot))
    r = login(alice).get(reverse("treatments:exposure", args=[lot.code]), {"format": "csv"})
    rows = list(csv.DictReader(io.StringIO(r.content.decode("utf-8-sig"))))
    assert rows[0]["patient"].startswith("'=HYPERLINK(")
    assert rows[0]["phone"] == "'+1 555 0100"
    r = login(alice).get(reverse("treatments:exposure", args=[odd.code]), {"format": "csv"})
    assert r["Content-Disposition"] == 'attachment; filename="lot-Q-7-1-exposure.csv"'
