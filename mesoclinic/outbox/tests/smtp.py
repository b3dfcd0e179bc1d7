"""A real SMTP server on loopback for the e-mail tests (aiosmtpd), which can be down: the
port is reserved first, and the server listens on it only once started."""

import email
import socket
import threading


def free_port() -> int:
    with socket.socket() as probe:  # a free port on loopback
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Inbox:
    """A tiny SMTP server on 127.0.0.1 that keeps what it receives."""

    def __init__(self, port: int | None = None):
        from aiosmtpd.controller import Controller

        self.received: list[email.message.Message] = []
        self.lock = threading.Lock()
        self.port = port or free_port()
        self.controller = Controller(self, hostname="127.0.0.1", port=self.port)

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 - aiosmtpd's name
        with self.lock:
            self.received.append(email.message_from_bytes(envelope.content))
        return "250 OK"

    def mailers(self) -> dict:
        """Django 6.1's mail configuration for this server."""
        smtp = "django.core.mail.backends.smtp.EmailBackend"
        return {
            "default": {
                "BACKEND": smtp,
                "OPTIONS": {"host": "127.0.0.1", "port": self.port, "timeout": 5},
            }
        }

    def __enter__(self):
        self.controller.start()
        return self

    def __exit__(self, *exc):
        self.controller.stop()
