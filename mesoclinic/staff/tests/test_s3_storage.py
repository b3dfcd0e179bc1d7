"""Issue 14: photos and attachments can live in an S3-compatible store (STORAGE_BACKEND=s3,
django-storages), tested against moto's S3 server on loopback: files go through the
Storage API into the bucket, privately, and come back byte for byte."""

import io
import socket

import pytest
from PIL import Image

from mesoclinic.lib import uploads
from mesoclinic.lib.storage_env import StorageSettingError, clinical_storages

pytestmark = pytest.mark.django_db
BUCKET = "clinic-files"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def s3(settings):
    boto3 = pytest.importorskip("boto3")
    from moto.server import ThreadedMotoServer

    port = _free_port()
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=port)
    server.start()
    endpoint = f"http://127.0.0.1:{port}"
    env = {
        "STORAGE_BACKEND": "s3",
        "S3_BUCKET": BUCKET,
        "S3_ENDPOINT_URL": endpoint,
        "S3_REGION": "us-east-1",
        "S3_ACCESS_KEY_ID": "testing",
        "S3_SECRET_ACCESS_KEY": "testing",
    }
    client = boto3.client(
        "s3",
        endpoint_url=endpoint,
        region_name="us-east-1",
        aws_access_key_id="testing",
        aws_secret_access_key="testing",
    )
    client.create_bucket(Bucket=BUCKET)
    settings.STORAGES = {**settings.STORAGES, **clinical_storages(env)}
    yield client
    server.stop()


def _png() -> io.BytesIO:
    buf = io.BytesIO()
    Image.new("RGB", (50, 30), (10, 120, 90)).save(buf, "PNG")
    buf.seek(0)
    buf.name = "logo.png"
    return buf


def test_files_round_trip_through_the_bucket_privately(s3):
    name = uploads.write("photos", "c1/p1/photo.jpg", b"\xff\xd8\xffjpeg bytes")
    assert (
        uploads.exists("photos", name) and uploads.read("photos", name) == b"\xff\xd8\xffjpeg bytes"
    )
    keys = [o["Key"] for o in s3.list_objects_v2(Bucket=BUCKET)["Contents"]]
    assert keys == ["photos/c1/p1/photo.jpg"]
    grants = s3.get_object_acl(Bucket=BUCKET, Key=keys[0])["Grants"]
    assert not any("AllUsers" in str(g.get("Grantee")) for g in grants)  # never public
    other = uploads.write("followup", "c1/p1/side-effect.jpg", b"x")
    assert other.startswith("c1/p1/") and uploads.read("followup", other) == b"x"


def test_an_upload_through_the_app_lands_in_the_bucket(s3, login, adam, clinic_a):
    form = {"name": "Clinic A", "timezone": "Europe/Istanbul", "phone": "", "on_call_email": ""}
    r = login(adam).post("/accounts/clinic", {**form, "logo_file": _png()})
    assert r.status_code == 302
    clinic_a.refresh_from_db()
    body = s3.get_object(Bucket=BUCKET, Key=f"photos/{clinic_a.logo}")["Body"].read()
    assert body[:3] == b"\xff\xd8\xff"  # checked and re-encoded before it was stored
    served = login(adam).get(f"/accounts/clinic/{clinic_a.code}/logo")
    assert served.status_code == 200 and served.content == body


@pytest.mark.parametrize(
    ("env", "message"),
    [
        ({"STORAGE_BACKEND": "ftp"}, "choose 'filesystem'"),
        ({"STORAGE_BACKEND": "s3"}, "needs S3_BUCKET"),
    ],
)
def test_a_bad_storage_setting_is_named(env, message):
    with pytest.raises(StorageSettingError, match=message):
        clinical_storages(env)
