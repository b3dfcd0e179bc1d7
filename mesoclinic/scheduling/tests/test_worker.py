"""The real worker (`mesoclinic worker`, django-tasks-db) in subprocesses: killed in the
middle of a batch and restarted, it never sends a message twice and loses none (reminders
by text, portal invitations by e-mail: one outbox for both)."""

import json
import re
import signal
import time
from collections import Counter

import pytest

from mesoclinic.scheduling.tests.harness import Scratch

pytestmark = pytest.mark.django_db
N = 8
E = 3  # invitations by e-mail
STATE = (
    "import django, json; django.setup(); "
    "from mesoclinic.outbox.models import Message; "
    "from django_tasks_db.models import DBTaskResult; "
    "print(json.dumps({'messages': list(Message.objects.order_by('pk').values_list("
    "'key', 'status', 'attempts')), 'tasks': sorted(DBTaskResult.objects.values_list("
    "'status', flat=True))}))"
)


def _sent(scratch) -> list[str]:
    path = scratch.tmp / "sms.jsonl"
    if not path.exists():
        return []
    return [json.loads(line)["key"] for line in path.read_text().splitlines()]


def _mailed(scratch) -> list[str]:
    """The Message-IDs (outbox message codes) of the e-mails the worker wrote to files."""
    folder = scratch.tmp / "mail"
    if not folder.exists():
        return []
    found = []
    for path in sorted(folder.iterdir()):
        found += re.findall(r"^Message-ID: <([0-9a-f-]{36})@", path.read_text(), re.M)
    return found


def _state(scratch) -> dict:
    return json.loads(scratch.python("-c", STATE).stdout.strip().splitlines()[-1])


def _prepare(state) -> list:
    return [(k, s, a) for k, s, a in state["messages"] if ":prepare:" in k]


@pytest.mark.slow
def test_a_worker_killed_mid_batch_and_restarted_sends_each_reminder_once(tmp_path):
    scratch = Scratch(tmp_path)
    try:
        scratch.python(
            "-c",
            "import django; django.setup(); "
            f"from mesoclinic.scheduling.tests import seed; seed.reminders({N}); "
            f"seed.invitations({E})",
        )
        state = _state(scratch)
        # per patient: the preparation text, due now, and the 2-hour reminder, due tomorrow;
        # each has its task, enqueued on commit (the reminder's deferred to its time)
        assert Counter(k.split(":")[3] for k, _s, _a in state["messages"] if "appt:" in k) == {
            "prepare": N,
            "reminder": N,
        }
        assert sum(k.startswith("invitation:") for k, _s, _a in state["messages"]) == E
        assert Counter(state["tasks"]) == {"READY": 2 * N + E}

        # 1. the worker sends three texts and hangs on the fourth, after claiming it: kill it
        worker = scratch.popen("worker", "--batch", env={"TEST_SMS_HANG_AT": "4"})
        marker = tmp_path / "hanging"
        deadline = time.monotonic() + 60
        while not marker.exists() and worker.poll() is None and time.monotonic() < deadline:
            time.sleep(0.05)
        assert marker.exists(), worker.communicate(timeout=5)[0]
        worker.send_signal(signal.SIGKILL)
        worker.wait(10)
        hung_on = marker.read_text()
        assert len(_sent(scratch)) == 3
        statuses = Counter(s for _k, s, _a in _prepare(_state(scratch)))
        assert statuses == {"sent": 3, "sending": 1, "pending": N - 4}

        # 2. restarted after the claim's lease (1 s in these settings): the rest go out,
        # the claimed one exactly once more, nothing twice
        time.sleep(1.2)
        scratch.manage("worker", "--batch")
        sent = _sent(scratch)
        assert len(sent) == N and len(set(sent)) == N, Counter(sent)
        assert hung_on in sent
        state = _state(scratch)
        final = _prepare(state)
        assert {s for _k, s, _a in final} == {"sent"}
        assert {s for k, s, _a in state["messages"] if ":reminder:" in k} == {"pending"}
        assert sorted(a for _k, _s, a in final) == [1] * (N - 1) + [2]  # one retry, once

        invited = {s for k, s, _a in state["messages"] if k.startswith("invitation:")}
        assert invited == {"sent"}
        mailed = _mailed(scratch)
        assert len(mailed) == E and len(set(mailed)) == E, Counter(mailed)

        # 3. and once more: nothing is due, nothing is sent again
        time.sleep(1.2)
        scratch.manage("worker", "--batch")
        assert len(_sent(scratch)) == N and len(_mailed(scratch)) == E
    finally:
        scratch.close()


def test_bad_scheduling_settings_fail_the_system_checks(settings):
    from mesoclinic.outbox.checks import check_settings as outbox_checks
    from mesoclinic.scheduling.checks import check_settings

    settings.SMS_BACKEND = "nowhere.Backend"  # the SMS backend is the outbox's now
    settings.SCHEDULING_SLOT_MINUTES = 7
    assert {e.id for e in check_settings()} >= {"mesoclinic.scheduling.E003"}
    assert {e.id for e in outbox_checks()} >= {"mesoclinic.outbox.E001"}
