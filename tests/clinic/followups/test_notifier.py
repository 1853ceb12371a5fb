"""Staff notifications reach a real (local) SMTP server and webhook, with their details."""

import pytest
from aiosmtpd.controller import Controller

from clinic.followups.notifier import NotificationError, Notifier
from clinic.followups.store import ALERT, Followup
from clinic.settings import EmailSettings
from harness.servers import free_port
from harness.smtp_inbox import Inbox


ALERT_ROW = Followup(kind=ALERT, conversation_id="v-1", name="Sam", phone="+447911123456",
                     message="my lip is turning white", id=7)


def test_an_alert_is_emailed_to_staff_with_its_details(smtp_inbox):
    inbox, port = smtp_inbox
    email = EmailSettings(to=["frontdesk@example.com"], from_address="bot@example.com", smtp_host="127.0.0.1",
                          smtp_port=port, starttls=False)
    Notifier(email=email).send(ALERT_ROW)
    ((recipients, content),) = inbox.messages
    assert recipients == ["frontdesk@example.com"]
    assert "Subject: URGENT" in content and "my lip is turning white" in content and "+447911123456" in content


def test_an_unreachable_mail_server_is_a_notification_error():
    email = EmailSettings(to=["a@example.com"], from_address="bot@example.com", smtp_host="127.0.0.1",
                          smtp_port=9, starttls=False)
    with pytest.raises(NotificationError, match="email"):
        Notifier(email=email).send(ALERT_ROW)


def test_the_webhook_gets_the_details_and_the_bearer_token(webhook):
    Notifier(webhook_url=webhook.url, webhook_token="s3cret").send(ALERT_ROW)
    assert webhook.authorizations == ["Bearer s3cret"]
    assert (webhook.received[0]["kind"], webhook.received[0]["message"]) == ("alert", "my lip is turning white")


@pytest.fixture
def smtp_with_an_untrusted_certificate(tmp_path):
    """A local SMTP server offering STARTTLS with a self-signed certificate nobody trusts."""
    import ssl
    import subprocess

    cert, key = tmp_path / "cert.pem", tmp_path / "key.pem"
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj",
                    "/CN=127.0.0.1", "-keyout", str(key), "-out", str(cert)], check=True, capture_output=True)
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(cert, key)
    port, inbox = free_port(), Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=port, tls_context=context, require_starttls=True)
    controller.start()
    yield inbox, port
    controller.stop()


def test_starttls_refuses_a_server_whose_certificate_is_not_trusted(smtp_with_an_untrusted_certificate):
    inbox, port = smtp_with_an_untrusted_certificate
    email = EmailSettings(to=["frontdesk@example.com"], from_address="bot@example.com", smtp_host="127.0.0.1",
                          smtp_port=port, starttls=True)
    with pytest.raises(NotificationError, match="CERTIFICATE_VERIFY_FAILED"):
        Notifier(email=email).send(ALERT_ROW)
    assert inbox.messages == []  # nothing was sent to a server that could be anyone
