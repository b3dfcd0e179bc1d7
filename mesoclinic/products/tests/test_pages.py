"""The catalogue, lot and low-stock pages, and who may see them."""

import datetime as dt
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from mesoclinic.audit.models import AuditEvent
from mesoclinic.products import access, actions
from mesoclinic.products.models import Lot, Product, StockMove
from tests.support import personas
from tests.support.products import make_lot, make_product

FORM = {
    "name": "Lipo solution",
    "maker": "Acme",
    "product_class": "lipolytic",
    "ingredients_text": "Deoxycholic acid\n\n  benzyl alcohol  \ndeoxycholic acid",
    "vehicle": "aqueous",
    "unit": "mL",
    "patch_test_reading_minutes": "30",
    "low_stock_threshold": "4",
}


def test_a_nurse_adds_a_product_and_sees_it_in_the_catalogue(login, nora):
    client = login(nora)
    page = client.post(reverse("products:create"), FORM)
    product = Product.objects.get()
    assert page.status_code == 302 and page.url == reverse("products:detail", args=[product.code])
    assert product.ingredients == ["Deoxycholic acid", "benzyl alcohol"]  # one per line, once
    assert product.patch_test_reading_minutes == 30 and product.clinic.name == "Clinic A"
    assert AuditEvent.objects.filter(action="create", object_code=str(product.code)).exists()
    detail = client.get(page.url).content.decode()
    assert "Lipolytic (fat-dissolving)" in detail and "Fat-dissolving (lipolytic)" in detail
    assert "Lipo solution" in client.get(reverse("products:list")).content.decode()


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"vehicle": "oil"}, "vehicle", "never injected"),
        ({"vehicle": "alcohol"}, "vehicle", "Konda D, Thappa DM"),
        ({"multi_dose": "on"}, "discard_after_opening_hours", "give the hours"),
        ({"discard_after_opening_hours": "24"}, "discard_after_opening_hours", "Only a multi-dose"),
        ({"product_class": "snake-oil"}, "product_class", "Select a valid choice"),
        ({"ingredients_text": " \n "}, "ingredients_text", "This field is required"),
        ({"ingredients_text": "caffeine"}, "ingredients_text", "No ingredient is recognised"),
        ({"patch_test_reading_minutes": "0"}, "patch_test_reading_minutes", "patch test is read"),
        ({"low_stock_threshold": "-1"}, "low_stock_threshold", "cannot be negative"),
        ({"name": ""}, "name", "This field is required"),
    ],
)
def test_bad_product_input_gets_a_message_next_to_the_field_and_nothing_is_saved(
    login, nora, changes, field, message
):
    page = login(nora).post(reverse("products:create"), {**FORM, **changes})
    assert page.status_code == 400
    form = page.context["form"]
    assert any(message in e for e in form.errors[field]), form.errors
    assert message in page.content.decode().replace("&#x27;", "'")
    assert not Product.objects.exists()


def test_an_anaesthetic_cream_is_applied_on_the_skin_so_any_vehicle_is_accepted(login, nora):
    data = {
        **FORM,
        "name": "Numbing cream",
        "product_class": "anaesthetic-cream",
        "ingredients_text": "lidocaine\nprilocaine",
        "vehicle": "oil",
    }
    assert login(nora).post(reverse("products:create"), data).status_code == 302


def test_a_product_name_is_unique_per_maker_in_the_clinic(login, nora, charlie):
    make_product(
        personas.actor(charlie),
        name="Lipo solution",
        product_class="lipolytic",
        ingredients=["deoxycholic acid"],
        maker="Acme",
    )
    client = login(nora)
    assert client.post(reverse("products:create"), FORM).status_code == 302
    page = client.post(reverse("products:create"), {**FORM, "name": "LIPO solution"})
    assert page.status_code == 400 and "already has a product" in str(page.context["form"].errors)
    assert Product.objects.filter(clinic__name="Clinic A").count() == 1


def test_editing_a_product(login, nora, product):
    client = login(nora)
    url = reverse("products:edit", args=[product.code])
    page = client.get(url)
    assert "sodium hyaluronate\nvitamin C" in page.content.decode()
    data = {
        **FORM,
        "name": product.name,
        "product_class": "ha-skin-booster",
        "ingredients_text": "sodium hyaluronate",
        "multi_dose": "on",
        "discard_after_opening_hours": "48",
        "is_active": "on",
    }
    assert client.post(url, data).status_code == 302
    product.refresh_from_db()
    assert (
        product.ingredients == ["sodium hyaluronate"] and product.discard_after_opening_hours == 48
    )
    event = AuditEvent.objects.get(action="update", object_code=str(product.code))
    assert "ingredients" in event.detail["changed"]
    bad = client.post(url, {**data, "vehicle": "oil"})
    assert bad.status_code == 400
    product.refresh_from_db()
    assert product.vehicle == "aqueous"


def test_receiving_lots(login, nora, product):
    client = login(nora)
    url = reverse("products:receive", args=[product.code])
    good = {"lot_number": "HA-2291", "expiry": "2027-06-30", "quantity": "20"}
    assert client.post(url, good).status_code == 302
    lot = Lot.objects.get()
    assert lot.quantity_remaining == lot.quantity_received == 20
    assert [(m.kind, m.delta) for m in StockMove.objects.all()] == [("receive", 20)]
    dup = client.post(url, {**good, "lot_number": "ha-2291"})
    assert dup.status_code == 400 and "already recorded" in str(dup.context["lot_form"].errors)
    for bad in ({"quantity": "-3"}, {"quantity": "0"}, {"expiry": "soon"}, {"lot_number": ""}):
        page = client.post(url, {**good, "lot_number": "X1", **bad})
        assert page.status_code == 400
        assert page.context["lot_form"].errors
    assert Lot.objects.count() == 1
    # an expiry already past is recorded as it is, and the lot shows as expired
    page = client.post(url, {**good, "lot_number": "OLD-1", "expiry": "2020-01-31"}, follow=True)
    body = page.content.decode()
    assert "cannot be used: Expired: its expiry date was 2020-01-31." in body
    assert 'badge-danger">Expired' in body and 'badge-ok">Usable' in body


def test_the_lot_page_adjusts_discards_and_opens(login, nora, vial):
    client = login(nora)
    lot_url = reverse("products:lot", args=[vial.code])
    page = client.get(lot_url)
    assert page.status_code == 200 and "Open a vial now" in page.content.decode()
    bad = client.post(reverse("products:adjust", args=[vial.code]), {"delta": "-1", "reason": ""})
    assert bad.status_code == 400 and bad.context["adjust_form"].errors["reason"]
    too_much = client.post(
        reverse("products:adjust", args=[vial.code]), {"delta": "-9", "reason": "count"}
    )
    assert too_much.status_code == 400 and "below zero" in str(
        too_much.context["adjust_form"].errors
    )
    ok = client.post(
        reverse("products:adjust", args=[vial.code]), {"delta": "-1", "reason": "broken"}
    )
    assert ok.status_code == 302
    assert client.post(reverse("products:open", args=[vial.code])).status_code == 302
    again = client.post(reverse("products:open", args=[vial.code]))
    assert (
        again.status_code == 400 and "discard it before opening another" in again.content.decode()
    )
    discard = client.post(reverse("products:discard", args=[vial.code]), {"reason": "end of day"})
    assert discard.status_code == 302
    body = client.get(lot_url).content.decode()
    assert 'badge-danger">Discarded' in body and "end of day" in body and "broken" in body
    vial.refresh_from_db()
    assert vial.quantity_remaining == 0 and vial.opened_at is None


def test_recalling_a_lot(login, alice, nora, lot):
    url = reverse("products:recall", args=[lot.code])
    assert login(nora).get(url).status_code == 403
    assert (
        "Recall this lot"
        not in login(nora).get(reverse("products:lot", args=[lot.code])).content.decode()
    )
    client = login(alice)
    page = client.get(url)
    assert (
        page.status_code == 200
        and "every further use of this lot is refused" in page.content.decode()
    )
    empty = client.post(url, {"reason": "  "})
    assert empty.status_code == 400 and empty.context["form"].errors["reason"]
    assert Lot.objects.get().recalled_at is None
    done = client.post(url, {"reason": "Maker recall notice R-17"}, follow=True)
    assert "Every further use is refused" in done.content.decode()
    assert 'badge-danger">Recalled' in done.content.decode()
    assert Lot.objects.get().recall_reason == "Maker recall notice R-17"


def object_urls(product, lot):
    return [
        ("get", reverse("products:detail", args=[product.code])),
        ("get", reverse("products:edit", args=[product.code])),
        ("post", reverse("products:receive", args=[product.code])),
        ("get", reverse("products:lot", args=[lot.code])),
        ("post", reverse("products:open", args=[lot.code])),
        ("post", reverse("products:adjust", args=[lot.code])),
        ("post", reverse("products:discard", args=[lot.code])),
        ("get", reverse("products:recall", args=[lot.code])),
    ]


def test_front_desk_sees_no_stock_pages(login, frank, product, lot):
    client = login(frank)
    urls = [
        ("get", reverse("products:list")),
        ("get", reverse("products:create")),
        ("get", reverse("products:low_stock")),
        *object_urls(product, lot),
    ]
    for method, url in urls:
        assert getattr(client, method)(url).status_code == 403, url


def test_a_physician_of_another_clinic_finds_no_object(login, charlie, product, lot):
    client = login(charlie)
    for method, url in object_urls(product, lot):
        assert getattr(client, method)(url, {"reason": "x", "delta": "1"}).status_code == 404, url
    assert product.name not in client.get(reverse("products:list")).content.decode()
    lot.refresh_from_db()
    assert lot.recalled_at is None and lot.quantity_remaining == 10


def test_anonymous_users_are_sent_to_sign_in(client, product):
    page = client.get(reverse("products:detail", args=[product.code]))
    assert page.status_code == 302 and reverse("accounts:login") in page.url


def test_low_stock_counts_only_usable_lots(login, adam, act_nora, act_alice, charlie):
    today = timezone.localdate()
    booster = make_product(act_nora, name="Booster", low_stock_threshold=Decimal("5"))
    make_lot(act_nora, booster, "B1", quantity="3")
    make_lot(act_nora, booster, "B-OLD", expiry=today - dt.timedelta(days=1), quantity="50")
    recalled = make_lot(act_nora, booster, "B-REC", quantity="50")
    actions.recall_lot(act_alice, recalled, "notice")
    plenty = make_product(act_nora, name="Plenty", low_stock_threshold=Decimal("5"))
    make_lot(act_nora, plenty, "P1", quantity="5")
    make_product(act_nora, name="Nothing left", low_stock_threshold=Decimal("1"))
    make_product(act_nora, name="No threshold", low_stock_threshold=Decimal("0"))
    retired = make_product(act_nora, name="Retired", low_stock_threshold=Decimal("5"))
    actions.update_product(act_nora, retired, {"is_active": False})
    make_product(personas.actor(charlie), name="Elsewhere", low_stock_threshold=Decimal("9"))
    found = access.low_stock(act_nora)
    assert [(p.name, p.usable_remaining) for p in found] == [("Nothing left", 0), ("Booster", 3)]
    page = login(adam).get(reverse("products:low_stock"))
    assert page.status_code == 200 and [p.name for p in page.context["products"]] == [
        "Nothing left",
        "Booster",
    ]


@pytest.mark.parametrize("name", ["products:low_stock", "products:list"])
def test_stock_lists_have_a_fixed_number_of_queries(login, nora, act_nora, name):
    client = login(nora)
    client.get(reverse(name))  # warm: the navigation's cached worker status
    counts = []
    for total in (2, 25):
        while Product.objects.count() < total:
            n = Product.objects.count()
            p = make_product(act_nora, name=f"Product {n}", low_stock_threshold=Decimal("100"))
            make_lot(act_nora, p, "A", quantity="1")
            make_lot(act_nora, p, "B", quantity="2")
        with CaptureQueriesContext(connection) as ctx:
            page = client.get(reverse(name))
        assert len(page.context["products"]) == total
        counts.append(len(ctx.captured_queries))
    assert counts[0] == counts[1] <= 9, (
        counts
    )  # session, user, clinic... and the alerts badge of base.html
    with CaptureQueriesContext(connection) as ctx:
        access.low_stock(act_nora)
    assert len(ctx.captured_queries) == 1
