import datetime as dt
import io

import numpy as np
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from mesoclinic.audit.actions import _Committed
from mesoclinic.audit.models import AuditEvent
from mesoclinic.photos import actions, storage, trends
from mesoclinic.photos.models import Photo
from mesoclinic.photos.tasks import make_thumbnail
from tests.photo.test_colour_decode import _png_header
from tests.support import personas
from tests.support.chart import whole_chart

from .conftest import TODAY, gps_jpeg, jpeg


def _upload(client, patient, data, name="face.jpg", **extra):
    form = {"view": "front", "taken_on": TODAY.isoformat(), "image": SimpleUploadedFile(name, data)}
    form.update(extra)
    return client.post(reverse("photos:upload", args=[patient.code]), form)


def test_consent_is_needed_before_photos(login, nora, patient, no_landmarks):
    client = login(nora)
    response = _upload(client, patient, jpeg())
    assert response.status_code == 400
    assert "photo-use consent" in response.content.decode()
    assert not Photo.objects.exists()
    response = client.post(
        reverse("photos:consent", args=[patient.code]),
        {"scope": "clinical", "signer_name": "Ayşe Yılmaz", "signed_on": TODAY.isoformat()},
    )
    assert response.status_code == 302
    assert AuditEvent.objects.filter(action="create", object_type="PhotoConsent").exists()
    assert _upload(client, patient, jpeg()).status_code == 302


def test_upload_strips_exif_and_gps_and_makes_a_thumbnail(
    login, nora, patient, consent, no_landmarks, settings, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        response = _upload(login(nora), patient, gps_jpeg())
    # the thumbnail job, beside the audit's own marker of a committed change (audit/actions.py)
    assert len([c for c in callbacks if not isinstance(c, _Committed)]) == 1
    photo = Photo.objects.get()
    assert response.status_code == 302 and response["Location"].endswith(f"/photos/{photo.code}/")
    stored = storage.path_of(photo.file)
    assert str(stored).startswith(str(settings.PHOTOS_ROOT))
    img = Image.open(stored)
    assert not img.getexif() and "exif" not in img.info
    assert photo.thumbnail and storage.exists(photo.thumbnail)  # made on commit (immediate)
    assert max(Image.open(storage.path_of(photo.thumbnail)).size) <= 320
    event = AuditEvent.objects.get(action="create", object_type="Photo")
    assert event.detail["gps_removed"] and event.detail["exif_removed"]
    assert photo.analysis["face_found"] and photo.quality_ok
    assert make_thumbnail.call(str(photo.code)) == "exists"
    assert make_thumbnail.call("00000000-0000-0000-0000-000000000000") == "missing"


@pytest.mark.parametrize(
    ("data", "needle"),
    [
        (b"%PDF-1.4 a document", "not a JPEG, PNG or WebP"),
        (_png_header(100_000, 100_000), "too many pixels"),
        (b"\xff\xd8\xff\xe0 broken", "damaged"),
    ],
)
def test_unsafe_uploads_are_refused(login, nora, patient, consent, data, needle):
    response = _upload(login(nora), patient, data)
    assert response.status_code == 400 and needle in response.content.decode()
    assert not Photo.objects.exists()


def test_size_limits(login, nora, patient, consent, settings, no_landmarks):
    settings.UPLOAD_MAX_BYTES = 1000
    response = _upload(login(nora), patient, jpeg())
    assert response.status_code == 400 and "too large" in response.content.decode()
    settings.UPLOAD_MAX_BYTES = 10**8
    settings.UPLOAD_MAX_PIXELS = 100
    response = _upload(login(nora), patient, jpeg())
    assert response.status_code == 400 and "too many pixels" in response.content.decode()


def test_capture_check_tells_what_is_wrong(login, nora, patient, consent, no_landmarks):
    client = login(nora)
    grey = np.full((200, 200, 3), 128, np.uint8)
    response = _upload(client, patient, jpeg(grey))
    text = response.content.decode()
    assert response.status_code == 400
    assert "No face was found" in text and "blurred" in text
    assert not Photo.objects.exists()
    response = _upload(client, patient, jpeg(grey), accept_issues="on")
    assert response.status_code == 302
    photo = Photo.objects.get()
    assert photo.quality_override and not photo.quality_ok


def test_pose_is_checked_with_landmarks(login, nora, patient, consent, fake_landmarks):
    response = _upload(login(nora), patient, jpeg(), view="left45")
    assert response.status_code == 400
    assert "not turned enough" in response.content.decode()


def test_photo_file_is_served_only_through_the_access_check(
    client, login, nora, frank, adam, charlie, photo
):
    url = reverse("photos:file", args=[photo.code, "full"])
    assert client.get(url).status_code == 302  # signed out: to the login page
    response = login(nora).get(url)
    assert response.status_code == 200 and response["Content-Type"] == "image/jpeg"
    assert "no-store" in response["Cache-Control"]
    assert AuditEvent.objects.filter(
        summary="photo file (full)", object_code=str(photo.code)
    ).exists()
    for user, status in ((frank, 403), (adam, 403), (charlie, 404)):
        assert login(user).get(url).status_code == status
        assert login(user).get(reverse("photos:detail", args=[photo.code])).status_code == status
    assert login(frank).get(reverse("photos:gallery", args=[photo.patient.code])).status_code == 403
    assert login(nora).get(reverse("photos:file", args=[photo.code, "other"])).status_code == 404


def test_patient_role_sees_no_staff_page(login, clinic_a, photo):
    from mesoclinic.accounts.roles import Role

    user = personas.make_user("pat", clinic_a, Role.PATIENT)
    assert login(user).get(reverse("photos:detail", args=[photo.code])).status_code == 403


def test_missing_file_is_404(login, nora, photo):
    storage.path_of(photo.file).unlink()
    Photo.objects.filter(pk=photo.pk).update(thumbnail="")
    assert login(nora).get(reverse("photos:file", args=[photo.code, "thumb"])).status_code == 404


def test_gallery_detail_and_chart_panel(login, nora, frank, patient, photo):
    client = login(nora)
    gallery = client.get(reverse("photos:gallery", args=[patient.code])).content.decode()
    assert str(photo.code) in gallery and "Photo-use consent" in gallery
    detail = client.get(reverse("photos:detail", args=[photo.code])).content.decode()
    assert "Capture check" in detail and "cannot be imported" in detail
    chart = whole_chart(client, patient)
    assert (
        "Photos and measures" in chart
        and "<svg" in chart
        and "style=" not in chart.split("<svg")[1][:2000]
    )
    desk = whole_chart(login(frank), patient)
    assert "Photos and measures" not in desk and str(photo.code) not in desk


def test_compare_two_visits(login, nora, patient, consent, no_landmarks):
    act = personas.actor(nora)
    first = actions.upload_photo(act, patient, data=jpeg(), view="front", taken_on=TODAY)
    shifted = np.roll(np.asarray(Image.open(io.BytesIO(jpeg()))), (4, -3), axis=(0, 1))
    second = actions.upload_photo(
        act, patient, data=jpeg(shifted), view="front", taken_on=TODAY + dt.timedelta(days=30)
    )
    client = login(nora)
    url = reverse("photos:compare", args=[patient.code])
    page = client.get(url, {"a": second.code, "b": first.code})  # order does not matter
    text = page.content.decode()
    assert page.status_code == 200 and "data-compare-slider" in text and "<script>" not in text
    assert "face outline only" in text
    for which in ("before", "after"):
        img = client.get(reverse("photos:aligned", args=[first.code, second.code, which]))
        assert img.status_code == 200 and img["Content-Type"] == "image/jpeg"
    assert (
        client.get(reverse("photos:aligned", args=[first.code, second.code, "x"])).status_code
        == 404
    )
    assert (
        client.get(reverse("photos:aligned", args=[first.code, first.code, "after"])).status_code
        == 404
    )
    assert client.get(url).status_code == 302  # no pair chosen: back to the gallery
    charts = trends.patient_trends(patient)
    assert {c["key"] for c in charts} >= {"mean_a_star", "ita_deg"}
    assert "<polyline" in str(charts[0]["svg"])


def test_withdrawn_consent_stops_new_photos(login, nora, patient, consent, no_landmarks):
    client = login(nora)
    response = client.post(reverse("photos:withdraw", args=[consent.code]))
    assert response.status_code == 302
    consent.refresh_from_db()
    assert consent.withdrawn_at and not consent.allows("clinical")
    assert client.post(reverse("photos:withdraw", args=[consent.code])).status_code == 302
    with pytest.raises(actions.Refused):
        actions.upload_photo(
            personas.actor(nora), patient, data=jpeg(), view="front", taken_on=TODAY
        )


def test_consent_scopes_nest(consent):
    assert (
        consent.allows("clinical") and consent.allows("patient") and not consent.allows("teaching")
    )


def test_compare_outlines_the_regions_and_says_when_photos_are_not_comparable(
    login, nora, patient, consent, fake_landmarks
):
    act = personas.actor(nora)
    first = actions.upload_photo(act, patient, data=jpeg(), view="front", taken_on=TODAY)
    darker = (np.asarray(Image.open(io.BytesIO(jpeg()))).astype(np.float32) * 0.55).astype(np.uint8)
    second = actions.upload_photo(
        act, patient, data=jpeg(darker), view="front", taken_on=TODAY + dt.timedelta(days=30)
    )
    client = login(nora)
    page = client.get(reverse("photos:compare", args=[patient.code]),
                      {"a": first.code, "b": second.code})  # fmt: skip
    text = page.content.decode()
    assert page.status_code == 200
    assert "not comparable" in text and "The light differs" in text
    assert "different views" not in text
    assert '<svg class="regions"' in text and text.count("<polygon") >= 7
    assert "style=" not in text.split('<svg class="regions"')[1].split("</svg>")[0]
    same = actions.upload_photo(
        act, patient, data=jpeg(), view="front", taken_on=TODAY + dt.timedelta(days=60)
    )
    text = client.get(reverse("photos:compare", args=[patient.code]),
                      {"a": first.code, "b": same.code}).content.decode()  # fmt: skip
    assert "not comparable" not in text


def test_withdrawn_consent_takes_its_photos_out_of_use_at_once(login, nora, patient, photo):
    """Issue 16: after the withdrawal the photo is gone from the gallery, its page, its
    file and the trends (the portal's measures), before any erasure."""
    from mesoclinic.photos import access

    client = login(nora)
    gallery = reverse("photos:gallery", args=[patient.code])
    assert str(photo.code) in client.get(gallery).content.decode()
    client.post(reverse("photos:withdraw", args=[photo.consent.code]))
    assert str(photo.code) not in client.get(gallery).content.decode()
    assert client.get(reverse("photos:detail", args=[photo.code])).status_code == 404
    assert client.get(reverse("photos:file", args=[photo.code, "full"])).status_code == 404
    assert access.photos_for(personas.actor(nora), patient) == []
    assert trends.patient_trends(patient) == []
