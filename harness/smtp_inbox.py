"""A real SMTP server on 127.0.0.1 that keeps staff notification e-mails (or refuses them)."""

from typing import List, Tuple

from aiosmtpd.controller import Controller

from harness.servers import free_port


class Inbox:
    """Keeps every message as (recipients, content); refuses them (451, try later) while `failing` is set."""

    def __init__(self) -> None:
        self.messages: List[Tuple[List[str], str]] = []
        self.failing = False
        self.attempts = 0

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 (aiosmtpd's naming)
        """Keep (or refuse) one message: the hook aiosmtpd calls."""
        self.attempts += 1
        if self.failing:
            return "451 Try again later"
        self.messages.append((envelope.rcpt_tos, envelope.content.decode()))
        return "250 OK"


class SMTPInbox:
    """`with SMTPInbox() as (inbox, port):` a server on a free port while the block runs."""

    def __init__(self) -> None:
        self.inbox = Inbox()
        self.port = free_port()
        self.controller = Controller(self.inbox, hostname="127.0.0.1", port=self.port)

    def __enter__(self) -> Tuple[Inbox, int]:
        self.controller.start()
        return self.inbox, self.port

    def __exit__(self, *exc) -> None:
        self.controller.stop()
