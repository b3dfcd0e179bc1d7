"""The outbox's settings fail loudly at start-up; the worker refuses to run without the
database task backend."""

import pytest

from mesoclinic.outbox.checks import check_settings

pytestmark = pytest.mark.django_db


def test_the_worker_needs_the_database_backend():
    from django.core.management import CommandError, call_command

    with pytest.raises(CommandError, match="DatabaseBackend"):
        call_command("worker", "--batch")


def test_bad_outbox_settings_fail_the_system_checks(settings):
    settings.SMS_BACKEND = "nowhere.Backend"
    settings.OUTBOX_RETRY_HOURS = 0
    settings.OUTBOX_CLAIM_LEASE_SECONDS = "soon"
    assert {e.id for e in check_settings()} >= {
        "mesoclinic.outbox.E001",
        "mesoclinic.outbox.E002",
        "mesoclinic.outbox.E003",
    }


def test_a_retry_window_shorter_than_a_day_is_warned(settings):
    settings.OUTBOX_RETRY_HOURS = 6
    assert "mesoclinic.outbox.W002" in {e.id for e in check_settings()}
    settings.OUTBOX_RETRY_HOURS = 24
    assert "mesoclinic.outbox.W002" not in {e.id for e in check_settings()}


def test_production_without_the_database_task_backend_is_warned(settings):
    settings.DEBUG = False
    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}
    assert "mesoclinic.outbox.W001" in {e.id for e in check_settings()}
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    assert "mesoclinic.outbox.W001" not in {e.id for e in check_settings()}


def test_site_url_unset_in_production_is_warned(settings):
    settings.DEBUG = False
    settings.SITE_URL = "http://127.0.0.1:8000"
    settings.SITE_URL_IS_SET = False
    assert "mesoclinic.outbox.W003" in {e.id for e in check_settings()}
    settings.SITE_URL = "https://clinic.example.org"
    settings.SITE_URL_IS_SET = True
    assert "mesoclinic.outbox.W003" not in {e.id for e in check_settings()}
    settings.DEBUG = True
    settings.SITE_URL_IS_SET = False
    assert "mesoclinic.outbox.W003" not in {e.id for e in check_settings()}


@pytest.mark.parametrize("url", ["", "clinic.example.org", "ftp://clinic.example.org"])
def test_a_site_url_that_is_no_address_fails(settings, url):
    settings.SITE_URL = url
    assert "mesoclinic.outbox.E004" in {e.id for e in check_settings()}


def test_links_in_messages_start_with_site_url(settings):
    from mesoclinic.lib.links import absolute, absolute_url

    settings.SITE_URL = "https://clinic.example.org/"
    assert absolute("/portal/") == "https://clinic.example.org/portal/"
    assert absolute_url("portal:home") == "https://clinic.example.org/portal/"
