"""Sending SMS through a pluggable backend, chosen by the SMS_BACKEND setting (a dotted
path). A backend sends one text and returns the provider's message id. `key` is stable
for one message: a provider that accepts an idempotency key should be given it, so a
retry after a crash does not reach the patient twice.
"""

import json
import sys
import threading
from pathlib import Path

from django.conf import settings
from django.utils.module_loading import import_string

DEFAULT_BACKEND = "mesoclinic.outbox.sms.ConsoleBackend"


class BaseBackend:
    def send(self, to: str, body: str, key: str) -> str:  # pragma: no cover - interface
        raise NotImplementedError


class ConsoleBackend(BaseBackend):
    """Writes each text to standard output: the default, for development."""

    def __init__(self, stream=None):
        self.stream = stream or sys.stdout

    def send(self, to: str, body: str, key: str) -> str:
        self.stream.write(f"SMS to {to} [{key}]\n{body}\n{'-' * 40}\n")
        self.stream.flush()
        return f"console-{key}"


outbox: list[dict] = []  # the locmem backend's sent texts, like django.core.mail.outbox
_lock = threading.Lock()


class LocmemBackend(BaseBackend):
    """Keeps texts in `mesoclinic.outbox.sms.outbox`, for tests."""

    def send(self, to: str, body: str, key: str) -> str:
        with _lock:
            outbox.append({"to": to, "body": body, "key": key})
        return f"locmem-{key}"


class FileBackend(BaseBackend):
    """Appends one JSON line per text to SMS_FILE_PATH (several processes may share it)."""

    def send(self, to: str, body: str, key: str) -> str:
        path = Path(getattr(settings, "SMS_FILE_PATH", "sms.jsonl"))
        line = json.dumps({"to": to, "body": body, "key": key}, ensure_ascii=False) + "\n"
        with path.open("a", encoding="utf-8") as fh:
            fh.write(line)
            fh.flush()
        return f"file-{key}"


def get_backend() -> BaseBackend:
    return import_string(getattr(settings, "SMS_BACKEND", DEFAULT_BACKEND))()


def send_sms(to: str, body: str, key: str) -> str:
    return get_backend().send(to, body, key)
