"""The week view reads rooms and practitioners of the own clinic only; a room or
practitioner field that is not a code is a 404, never a server error."""

from django.urls import reverse

from tests.support import personas


def test_the_week_of_a_room_or_practitioner_of_the_own_clinic_only(
    clinic_setup, frank, charlie, login
):
    from mesoclinic.accounts.actor import Actor
    from mesoclinic.scheduling import resources

    client = login(frank)
    url = reverse("scheduling:week")
    room = clinic_setup["room1"]
    page = client.get(url, {"room": str(room.code)})
    assert page.status_code == 200 and page.context["owner"] == room
    assert page.context["is_room"]
    theirs = resources.save_room(Actor.system(charlie.membership.clinic), name="B", protocols=[])
    assert client.get(url, {"room": str(theirs.code)}).status_code == 404
    for field in ("room", "practitioner"):
        assert client.get(url, {field: "junk"}).status_code == 404, field
    assert personas.actor(frank).clinic != charlie.membership.clinic
