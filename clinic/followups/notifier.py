"""Tells clinic staff about a follow-up: a JSON webhook and/or an e-mail."""

import smtplib
import ssl
from email.message import EmailMessage
from typing import List, Optional

import requests

from clinic.followups.store import ALERT, EMAIL, HANDOFF, LEAD, WEBHOOK, Followup
from clinic.settings import EmailSettings

WEBHOOK_TIMEOUT_SECONDS = 10
SMTP_TIMEOUT_SECONDS = 15

_SUBJECTS = {
    ALERT: "URGENT: possible complication reported by a visitor",
    HANDOFF: "A visitor asked to talk to staff",
    LEAD: "New consultation request",
}


class NotificationError(Exception):
    """A notification target could not be reached or refused the message."""


def notification_payload(followup: Followup) -> dict:
    """The JSON body sent to the webhook (and the facts in the e-mail)."""
    return {
        "id": followup.id,
        "kind": followup.kind,
        "conversation_id": followup.conversation_id,
        "created_at": followup.created_at.isoformat(),
        "name": followup.name,
        "phone": followup.phone,
        "email": followup.email,
        "preferred_time": followup.preferred_time,
        "treatment": followup.treatment,
        "message": followup.message,
    }


def idempotency_key(followup: Followup, target: str) -> str:
    """The same for every attempt to send one follow-up to one target: the receiver can drop repeats."""
    return f"{followup.id}-{target}"


def email_body(followup: Followup) -> str:
    """Plain-text e-mail: one 'field: value' line per known detail."""
    lines = [_SUBJECTS.get(followup.kind, followup.kind), ""]
    for key, value in notification_payload(followup).items():
        if value not in (None, ""):
            lines.append(f"{key.replace('_', ' ')}: {value}")
    return "\n".join(lines)


class Notifier:
    """Sends follow-ups to the configured targets."""

    def __init__(
        self, webhook_url: str = "", webhook_token: str = "", email: Optional[EmailSettings] = None
    ) -> None:
        """Targets come from settings; either may be absent."""
        self.webhook_url = webhook_url
        self.webhook_token = webhook_token
        self.email = email or EmailSettings()

    @property
    def has_targets(self) -> bool:
        """True when at least one target is configured."""
        return bool(self.webhook_url) or self.email.enabled

    @property
    def targets(self) -> List[str]:
        """The configured targets, by name (WEBHOOK, EMAIL)."""
        return [target for target, on in ((WEBHOOK, bool(self.webhook_url)), (EMAIL, self.email.enabled)) if on]

    def send(self, followup: Followup) -> None:
        """Notify every target; raises NotificationError naming each one that failed."""
        errors: List[str] = []
        for target in self.targets:
            try:
                self.send_to(target, followup)
            except NotificationError as error:
                errors.append(f"{target}: {error}")
        if errors:
            raise NotificationError("; ".join(errors))

    def send_to(self, target: str, followup: Followup) -> None:
        """Notify one target (WEBHOOK or EMAIL); raises NotificationError when it fails."""
        try:
            if target == WEBHOOK:
                self._post_webhook(followup)
            elif target == EMAIL:
                self._send_email(followup)
            else:
                raise NotificationError(f"unknown target {target!r}")
        except (requests.RequestException, OSError, smtplib.SMTPException) as error:
            raise NotificationError(str(error)) from error

    def _post_webhook(self, followup: Followup) -> None:
        key = idempotency_key(followup, WEBHOOK)
        headers = {"Idempotency-Key": key}
        if self.webhook_token:
            headers["Authorization"] = f"Bearer {self.webhook_token}"
        response = requests.post(
            self.webhook_url,
            json={**notification_payload(followup), "idempotency_key": key},
            headers=headers,
            timeout=WEBHOOK_TIMEOUT_SECONDS,
        )
        if not response.ok:
            raise NotificationError(f"HTTP {response.status_code}")

    def _send_email(self, followup: Followup) -> None:
        message = EmailMessage()
        message["Subject"] = _SUBJECTS.get(followup.kind, "Visitor follow-up")
        message["From"] = self.email.from_address
        message["To"] = ", ".join(self.email.to)
        message.set_content(email_body(followup))
        with smtplib.SMTP(self.email.smtp_host, self.email.smtp_port, timeout=SMTP_TIMEOUT_SECONDS) as smtp:
            if self.email.starttls:
                # A verifying context: Python 3.10's starttls() without one accepts any certificate.
                smtp.starttls(context=ssl.create_default_context())
            if self.email.username:
                smtp.login(self.email.username, self.email.password)
            smtp.send_message(message)
