"""An SMS file backend that hangs before handing over text number TEST_SMS_HANG_AT (1-based),
after writing a marker file: the test then kills the worker at exactly that point, after
the claim and before the send, which is the crash the outbox must survive."""

import os
import time
from pathlib import Path

from mesoclinic.outbox.sms import FileBackend


class GatedFileBackend(FileBackend):
    def send(self, to: str, body: str, key: str) -> str:
        hang_at = int(os.environ.get("TEST_SMS_HANG_AT", "0"))
        path = Path(os.environ["TEST_SMS_FILE"])
        sent = len(path.read_text().splitlines()) if path.exists() else 0
        if hang_at and sent + 1 >= hang_at:
            Path(os.environ["TEST_SMS_MARKER"]).write_text(key)
            while True:  # until killed
                time.sleep(0.05)
        return super().send(to, body, key)
