"""The clinical files' storages chosen by the environment (issue 14): on disk by default,
or an S3-compatible object store (AWS S3, MinIO, Ceph, ...) through django-storages with
STORAGE_BACKEND=s3. Pure: no Django import, so settings.py can call it.

S3 settings: S3_BUCKET (required), S3_ENDPOINT_URL (blank: AWS), S3_REGION,
S3_ACCESS_KEY_ID, S3_SECRET_ACCESS_KEY (or S3_SECRET_ACCESS_KEY_FILE), S3_ADDRESSING_STYLE
("path" for most self-hosted servers; "virtual" for AWS). Objects are private (no ACL
set, the bucket's default), never given a public URL by the app (served by views that
check who asks), each storage under its own prefix ("photos/", "followup/")."""

from pathlib import Path


class StorageSettingError(ValueError):
    pass


def _secret(env, name: str) -> str:
    path = env.get(f"{name}_FILE")
    if path:
        return Path(path).read_text().strip()
    return env.get(name, "")


def clinical_storages(env) -> dict:
    """STORAGES entries for "photos" and "followup"."""
    backend = (env.get("STORAGE_BACKEND") or "filesystem").strip().lower()
    if backend in ("filesystem", "file", "disk"):
        return {
            "photos": {
                "BACKEND": "mesoclinic.lib.uploads.PrivateFileStorage",
                "OPTIONS": {"root_setting": "PHOTOS_ROOT", "allow_overwrite": True},
            },
            "followup": {
                "BACKEND": "mesoclinic.lib.uploads.PrivateFileStorage",
                "OPTIONS": {"root_setting": "FOLLOWUP_FILES_ROOT"},
            },
        }
    if backend != "s3":
        raise StorageSettingError(
            f"STORAGE_BACKEND={backend!r}: choose 'filesystem' (the default) or 's3'"
        )
    bucket = env.get("S3_BUCKET", "").strip()
    if not bucket:
        raise StorageSettingError("STORAGE_BACKEND=s3 needs S3_BUCKET")
    common = {
        "bucket_name": bucket,
        "endpoint_url": env.get("S3_ENDPOINT_URL") or None,
        "region_name": env.get("S3_REGION") or None,
        "access_key": env.get("S3_ACCESS_KEY_ID") or None,
        "secret_key": _secret(env, "S3_SECRET_ACCESS_KEY") or None,
        "addressing_style": env.get("S3_ADDRESSING_STYLE") or "path",
        "default_acl": None,  # private: the bucket's own policy, never public-read
        "querystring_auth": True,  # any URL made would be signed and expire
        "object_parameters": {"ServerSideEncryption": "AES256"}
        if env.get("S3_SERVER_SIDE_ENCRYPTION", "").lower() in ("1", "true", "yes")
        else {},
    }
    backend_path = "storages.backends.s3.S3Storage"
    return {
        "photos": {
            "BACKEND": backend_path,
            "OPTIONS": {**common, "location": "photos", "file_overwrite": True},  # thumbnails
        },
        "followup": {
            "BACKEND": backend_path,
            "OPTIONS": {**common, "location": "followup", "file_overwrite": False},
        },
    }
