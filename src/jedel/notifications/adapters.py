"""Channels outside the app (e-mail, SMS, Telegram), chosen by environment variables, each with a test double.

Every adapter gets an idempotency `key` that stays the same across retries of one delivery. The SMS gateway
contract passes it on (gateways that honour it never deliver twice, even when a worker dies between sending
and recording the send); e-mail carries it as the Message-ID, so mail clients collapse a resend. Telegram's
Bot API has no such key: a worker killed in the instant between the API call and the commit can cause one
repeat there, which is the price of never losing a message.

Settings (environment variables of the same name):
- ``JEDEL_NOTIFY_EMAIL``: ``off`` (default), ``django`` (Django's EMAIL_BACKEND and EMAIL_* settings) or ``memory``.
- ``JEDEL_NOTIFY_SMS``: ``off`` (default), ``http`` (POST JSON ``{to, text, id}`` to ``JEDEL_SMS_URL`` with
  ``Authorization: Bearer JEDEL_SMS_TOKEN``) or ``memory``.
- ``JEDEL_NOTIFY_TELEGRAM``: ``off`` (default), ``bot`` (``JEDEL_TELEGRAM_BOT_TOKEN``) or ``memory``.
"""

from __future__ import annotations

import json
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from typing import Protocol

from django.conf import settings

TIMEOUT_S = 10


class SendFailed(Exception):
    """The channel did not take the message; the worker retries with backoff and shows the reason."""


class Adapter(Protocol):
    def send(self, *, address: str, subject: str, text: str, key: str) -> None: ...


class EmailAdapter:
    def send(self, *, address: str, subject: str, text: str, key: str) -> None:
        from django.core.mail import EmailMessage

        domain = getattr(settings, "JEDEL_NOTIFY_EMAIL_DOMAIN", "jedel.local")
        message = EmailMessage(subject=subject, body=text, to=[address], headers={"Message-ID": f"<{key}@{domain}>"})
        try:
            message.send(fail_silently=False)
        except Exception as exc:  # SMTP errors come in many classes; every one means "not taken"
            raise SendFailed(f"e-mail: {exc}") from exc


def _post_json(url: str, payload: dict[str, str], headers: dict[str, str]) -> None:
    request = urllib.request.Request(url, data=json.dumps(payload).encode(), method="POST",
                                     headers={"Content-Type": "application/json", **headers})
    try:
        with urllib.request.urlopen(request, timeout=TIMEOUT_S) as response:  # noqa: S310 (configured URL)
            if response.status >= 300:
                raise SendFailed(f"HTTP {response.status}")
    except urllib.error.HTTPError as exc:
        raise SendFailed(f"HTTP {exc.code}") from exc
    except (urllib.error.URLError, TimeoutError, OSError) as exc:
        raise SendFailed(str(getattr(exc, "reason", exc))) from exc


class SmsHttpAdapter:
    def send(self, *, address: str, subject: str, text: str, key: str) -> None:
        url = getattr(settings, "JEDEL_SMS_URL", "")
        if not url:
            raise SendFailed("JEDEL_SMS_URL is not set")
        _post_json(url, {"to": address, "text": f"{subject}\n{text}"[:640], "id": key},
                   {"Authorization": f"Bearer {getattr(settings, 'JEDEL_SMS_TOKEN', '')}"})


class TelegramAdapter:
    def send(self, *, address: str, subject: str, text: str, key: str) -> None:
        token = getattr(settings, "JEDEL_TELEGRAM_BOT_TOKEN", "")
        if not token:
            raise SendFailed("JEDEL_TELEGRAM_BOT_TOKEN is not set")
        _post_json(f"https://api.telegram.org/bot{token}/sendMessage", {"chat_id": address, "text": f"{subject}\n{text}"}, {})


@dataclass
class MemoryAdapter:
    """Test double: keeps what was sent, honours the idempotency key like a good gateway, can be made to fail."""

    sent: dict[str, tuple[str, str, str]] = field(default_factory=dict)
    calls: int = 0
    fail_next: int = 0
    down: bool = False

    def send(self, *, address: str, subject: str, text: str, key: str) -> None:
        self.calls += 1
        if self.down or self.fail_next > 0:
            self.fail_next = max(0, self.fail_next - 1)
            raise SendFailed("gateway unavailable (test double)")
        self.sent.setdefault(key, (address, subject, text))


MEMORY: dict[str, MemoryAdapter] = {"email": MemoryAdapter(), "sms": MemoryAdapter(), "telegram": MemoryAdapter()}

_REAL = {("email", "django"): EmailAdapter, ("sms", "http"): SmsHttpAdapter, ("telegram", "bot"): TelegramAdapter}


def adapter_for(channel: str) -> Adapter | None:
    """The configured adapter for a channel, or None when the channel is switched off."""
    mode = getattr(settings, f"JEDEL_NOTIFY_{channel.upper()}", "off")
    if mode == "memory":
        return MEMORY[channel]
    real = _REAL.get((channel, mode))
    return real() if real else None


def memory_reset() -> None:
    """Forget what the test doubles saw (tests)."""
    for name in MEMORY:
        MEMORY[name] = MemoryAdapter()
