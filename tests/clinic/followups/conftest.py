"""A real (local) SMTP server for the notification tests."""

import pytest

from harness.smtp_inbox import SMTPInbox


@pytest.fixture
def smtp_inbox():
    with SMTPInbox() as (inbox, port):
        yield inbox, port
