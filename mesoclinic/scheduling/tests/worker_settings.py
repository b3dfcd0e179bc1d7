"""Settings for the worker subprocess tests: the project's settings plus the database task
backend, a file SMS backend that can be made to hang (to kill a worker mid-send), e-mails
written to files, and a one-second claim lease so a killed worker's message is retried
quickly."""

import os

from mesoclinic.settings import *  # noqa: F403

if "django_tasks_db" not in INSTALLED_APPS:  # noqa: F405
    INSTALLED_APPS = [*INSTALLED_APPS, "django_tasks_db"]  # noqa: F405
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
SMS_BACKEND = "mesoclinic.scheduling.tests.gated_sms.GatedFileBackend"
SMS_FILE_PATH = os.environ.get("TEST_SMS_FILE", "sms.jsonl")
MAILERS = {
    "default": {
        "BACKEND": "django.core.mail.backends.filebased.EmailBackend",
        "OPTIONS": {"file_path": os.environ.get("TEST_MAIL_DIR", "mail")},
    }
}
OUTBOX_CLAIM_LEASE_SECONDS = 1
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
LOGGING = {"version": 1, "disable_existing_loggers": False}
