import datetime as dt

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from mesoclinic.audit.models import AuditEvent
from mesoclinic.patchtests import access, actions, status
from mesoclinic.patchtests.models import PatchTest, Result
from tests.support import personas

T0 = dt.datetime(2026, 12, 1, 10, 0, tzinfo=dt.UTC)


def local(moment: dt.datetime) -> str:
    """The value a datetime-local input sends."""
    return timezone.localtime(moment).strftime("%Y-%m-%dT%H:%M")


def apply(act, patient, substance="Lidocaine", at=T0, minutes=48 * 60, **extra):
    with time_machine.travel(at, tick=False):
        return actions.record_patch_test(
            act,
            patient,
            substance=substance,
            site="inner_forearm",
            applied_at=at,
            reading_minutes=minutes,
            **extra,
        )


def read(act, test, result, at):
    with time_machine.travel(at, tick=False):
        return actions.read_patch_test(act, test, result=result, read_at=at, reaction_notes="x")


@pytest.fixture
def cocktail(nora):
    from tests.support.products import make_product

    return make_product(
        personas.actor(nora),
        name="Hyaluronic acid cocktail",
        product_class="ha-skin-booster",
        ingredients=["sodium hyaluronate"],
        patch_test_reading_minutes=48 * 60,
    )


@time_machine.travel(T0, tick=False)
def test_a_nurse_records_a_patch_test_and_reads_it_after_its_reading_time(
    login, nora, patient, cocktail
):
    client = login(nora)
    url = reverse("patchtests:record", args=[patient.code])
    form = client.get(url, {"product": str(cocktail.code)}).content.decode()
    assert f'<option value="{cocktail.pk}" selected>' in form  # the gate's link fills it
    assert "read after 2 days" in form and "reading_time" not in form
    page = client.post(
        url,
        {
            "product": str(cocktail.pk),
            "site": "inner_forearm",
            "site_detail": "left",
            "applied_at": local(T0 - dt.timedelta(minutes=5)),
        },
    )
    assert page.status_code == 302
    test = PatchTest.objects.get()
    assert test.reading_minutes == 48 * 60 and test.applied_by == nora  # the catalogue's
    assert test.product == cocktail and test.product_class == "ha-skin-booster"
    assert AuditEvent.objects.filter(action="create", object_code=str(test.code)).exists()
    chart = client.get(reverse("patients:chart", args=[patient.code])).content.decode()
    assert "Hyaluronic acid cocktail (Hyaluronic acid skin booster)" in chart
    assert "Pending until" in chart and "Blocks treatment with" in chart

    url = reverse("patchtests:read", args=[test.code])
    early = client.post(url, {"result": "negative", "read_at": local(T0)})
    assert early.status_code == 400
    assert "Too early: this test can be read from" in early.content.decode()
    test.refresh_from_db()
    assert test.result == Result.PENDING and test.read_at is None

    later = T0 + dt.timedelta(hours=48)
    with time_machine.travel(later, tick=False):
        client = login(nora)  # sessions end after 30 idle minutes
        assert (
            "Ready to read"
            in client.get(reverse("patients:chart", args=[patient.code])).content.decode()
        )
        page = client.post(url, {"result": "negative", "read_at": local(later)})
        assert page.status_code == 302
        chart = client.get(reverse("patients:chart", args=[patient.code])).content.decode()
    test.refresh_from_db()
    assert test.result == Result.NEGATIVE and test.read_by == nora
    assert AuditEvent.objects.filter(action="read", object_code=str(test.code)).exists()
    assert "Negative" in chart and "Blocks treatment with" not in chart
    again = client.post(url, {"result": "positive", "read_at": local(later), "reaction_notes": "x"})
    assert again.status_code == 400 and "already been read" in again.content.decode()


@time_machine.travel(T0, tick=False)
@pytest.mark.parametrize(
    ("change", "field", "message"),
    [
        ({"applied_at": local(T0 + dt.timedelta(hours=1))}, "applied_at", "in the future"),
        ({"site": "other", "site_detail": ""}, "site_detail", "Say where the test was put"),
        ({"product": ""}, "product", "This field is required"),
        ({"product": "999999"}, "product", "Select a valid choice"),
        ({"applied_at": "yesterday"}, "applied_at", "Enter a valid date/time"),
    ],
)
def test_bad_input_is_refused_next_to_the_field(
    login, nora, patient, cocktail, change, field, message
):
    data = {"product": str(cocktail.pk), "site": "wrist", "applied_at": local(T0), **change}
    page = login(nora).post(reverse("patchtests:record", args=[patient.code]), data)
    assert page.status_code == 400
    assert message in " ".join(page.context["form"].errors[field])
    assert "Nothing has been saved" in page.content.decode()
    assert not PatchTest.objects.exists()


@time_machine.travel(T0, tick=False)
def test_a_product_without_reading_time_is_not_offered(login, nora, patient, cocktail):
    from tests.support.products import make_product

    plain = make_product(personas.actor(nora), name="Vitamin mix", product_class="vitamin-cocktail")
    page = login(nora).get(reverse("patchtests:record", args=[patient.code])).content.decode()
    assert "Hyaluronic acid cocktail" in page and "Vitamin mix" not in page
    with pytest.raises(actions.Refused, match="no patch-test reading time"):
        actions.record_patch_test(
            personas.actor(nora), patient, product=plain, site="wrist", applied_at=T0
        )


def test_a_test_entered_by_mistake_is_voided_and_no_longer_blocks(login, nora, patient, cocktail):
    from mesoclinic.patchtests.models import PatchTestVoid

    act = personas.actor(nora)
    with time_machine.travel(T0, tick=False):
        wrong = actions.record_patch_test(
            act, patient, product=cocktail, site="wrist", applied_at=T0
        )
    assert [b.test for b in access.blocks_product(act, patient, cocktail.name)] == [wrong]
    later = T0 + dt.timedelta(minutes=20)
    with time_machine.travel(later, tick=False):
        client = login(nora)
        chart = client.get(reverse("patients:chart", args=[patient.code])).content.decode()
        url = reverse("patchtests:void", args=[wrong.code])
        assert url in chart
        short = client.post(url, {"reason": "oops"})
        assert short.status_code == 400 and "at least 10 characters" in short.content.decode()
        assert not PatchTestVoid.objects.exists()
        done = client.post(url, {"reason": "Entered on the wrong patient's arm record."})
        assert done.status_code == 302
        chart = client.get(reverse("patients:chart", args=[patient.code])).content.decode()
        assert "voided by" in chart and "Blocks treatment with" not in chart
        again = client.post(url, {"reason": "Entered on the wrong patient's arm record."})
        assert again.status_code == 400 and "Voided by Nora" in again.content.decode()
    wrong.refresh_from_db()
    assert wrong.is_voided and access.blocks_product(act, patient, cocktail.name) == []
    assert AuditEvent.objects.filter(summary__startswith="patch test voided").exists()
    with pytest.raises(Exception, match="append-only|never changed"):
        PatchTestVoid.objects.update(reason="changed")
    with time_machine.travel(later, tick=False):  # a new test can be recorded and read
        fresh = actions.record_patch_test(
            act, patient, product=cocktail, site="wrist", applied_at=later
        )
    read(act, fresh, "negative", later + dt.timedelta(hours=48))
    assert status.cleared(access.patch_tests_for(act, patient), cocktail.name)
    with time_machine.travel(later, tick=False), pytest.raises(Exception, match="voided"):
        actions.read_patch_test(act, wrong, result="negative", read_at=later)


def test_a_reading_in_the_future_or_positive_without_notes_is_refused(login, nora, patient):
    test = apply(personas.actor(nora), patient, minutes=30)
    later = T0 + dt.timedelta(hours=1)
    url = reverse("patchtests:read", args=[test.code])
    with time_machine.travel(later, tick=False):
        client = login(nora)
        future = client.post(
            url, {"result": "negative", "read_at": local(later + dt.timedelta(hours=2))}
        )
        assert "The reading time is in the future." in future.context["form"].errors["read_at"]
        bare = client.post(url, {"result": "positive", "read_at": local(later)})
        assert "Describe the reaction" in bare.context["form"].errors["reaction_notes"][0]
    test.refresh_from_db()
    assert test.result == Result.PENDING


def test_the_actions_refuse_what_the_forms_refuse(nora, patient):
    from django.core.exceptions import ValidationError

    act = personas.actor(nora)
    with time_machine.travel(T0, tick=False), pytest.raises(ValidationError) as exc:
        actions.record_patch_test(
            act,
            patient,
            substance="x",
            site="wrist",
            applied_at=T0 + dt.timedelta(days=1),
            reading_minutes=30,
        )
    assert "applied_at" in exc.value.message_dict
    test = apply(act, patient, minutes=60)
    with pytest.raises(ValidationError) as exc:
        read(act, test, Result.NEGATIVE, T0 + dt.timedelta(minutes=59))
    assert "read_at" in exc.value.message_dict
    with pytest.raises(ValueError):
        read(act, test, Result.PENDING, T0 + dt.timedelta(minutes=61))
    assert PatchTest.objects.get().result == Result.PENDING


def test_a_positive_or_unread_test_blocks_the_product(nora, patient):
    act = personas.actor(nora)
    lido = apply(act, patient, "Lidocaine", at=T0, minutes=60)
    silicon = apply(act, patient, "Conjonctyl", at=T0, minutes=60, product_class="organic-silicon")
    later = T0 + dt.timedelta(hours=2)
    read(act, lido, Result.POSITIVE, later)
    with time_machine.travel(later, tick=False):
        blocks = access.blocking(act, patient)
        by_name = {b.test.substance: b.reason for b in blocks}
        assert "Positive patch test to Lidocaine" in by_name["Lidocaine"]
        assert "is not read yet" in by_name["Conjonctyl"]
        tests = access.patch_tests_for(act, patient)
        # other spellings of the same substance, and the product class, match
        assert [b.test for b in status.blocks_product(tests, "lignocaine")] == [lido]
        assert [b.test for b in status.blocks_product(tests, product_class="organic-silicon")] == [
            silicon
        ]
        assert status.blocks_product(tests, "hyaluronic acid", "ha-skin-booster") == []
        assert access.blocks_product(act, patient, "LIDOCAINE")
        chart = status.state(silicon, later)
    assert chart == status.State.READY
    # an unread test stops blocking once a later test of the same thing reads negative
    retest = apply(
        act, patient, "Conjonctyl", at=later, minutes=60, product_class="organic-silicon"
    )
    read(act, retest, Result.NEGATIVE, later + dt.timedelta(hours=1))
    tests = access.patch_tests_for(act, patient)
    assert status.blocks_product(tests, product_class="organic-silicon") == []
    assert [b.test for b in status.blocking_tests(tests)] == [lido]
    assert status.cleared(tests, "Conjonctyl") and not status.cleared(tests, "lidocaine")
    assert not status.cleared(tests, "hyaluronic acid")  # never tested


def test_the_chart_alerts_on_a_positive_test(login, nora, patient):
    act = personas.actor(nora)
    test = apply(act, patient, "Lidocaine", minutes=60)
    read(act, test, Result.POSITIVE, T0 + dt.timedelta(hours=1))
    chart = login(nora).get(reverse("patients:chart", args=[patient.code]))
    assert any(level == "danger" and "Lidocaine" in m for level, m in chart.context["chart"].alerts)
    assert "Positive" in chart.content.decode()


def test_front_desk_sees_no_patch_tests(login, frank, nora, patient):
    test = apply(personas.actor(nora), patient, "Lidocaine")
    client = login(frank)
    assert (
        "Lidocaine"
        not in client.get(reverse("patients:chart", args=[patient.code])).content.decode()
    )
    assert client.get(reverse("patchtests:record", args=[patient.code])).status_code == 403
    assert client.get(reverse("patchtests:read", args=[test.code])).status_code == 403
    assert client.post(reverse("patchtests:read", args=[test.code]), {}).status_code == 403


def test_a_physician_of_another_clinic_sees_nothing(login, charlie, nora, patient):
    test = apply(personas.actor(nora), patient, "Lidocaine")
    client = login(charlie)
    for url in (
        reverse("patchtests:record", args=[patient.code]),
        reverse("patchtests:read", args=[test.code]),
    ):
        assert client.get(url).status_code == 404
        assert client.post(url, {"result": "positive"}).status_code == 404
    test.refresh_from_db()
    assert test.result == Result.PENDING
    with pytest.raises(Exception, match="no such"):
        access.patch_tests_for(personas.actor(charlie), patient)


def test_the_chart_has_a_fixed_number_of_queries(login, nora, patient):
    act = personas.actor(nora)
    client = login(nora)
    client.get(reverse("patients:chart", args=[patient.code]))  # warm: the cached worker status
    counts = []
    for total in (1, 10):
        while PatchTest.objects.count() < total:
            test = apply(act, patient, f"Substance {PatchTest.objects.count()}", minutes=30)
            read(act, test, Result.NEGATIVE, T0 + dt.timedelta(hours=1))
        with CaptureQueriesContext(connection) as ctx:
            page = client.get(reverse("patients:chart", args=[patient.code]))
        assert page.content.decode().count("Negative") >= total
        counts.append(len(ctx.captured_queries))
    assert counts[0] == counts[1]
