import pytest

from mesoclinic.outbox import sms


@pytest.fixture(autouse=True)
def _outbox_env(settings):
    settings.SMS_BACKEND = "mesoclinic.outbox.sms.LocmemBackend"
    # tasks run at once after the commit; the real worker has its own tests (test_worker)
    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}
    settings.DEFAULT_FROM_EMAIL = "clinic@example.org"
    sms.outbox.clear()
    yield
    sms.outbox.clear()
