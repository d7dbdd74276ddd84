"""The channel interface: send one rendered message to one address, return the provider's message id.

An adapter raises :class:`ProviderUnavailable` for what a retry may cure (HTTP 429 or 5xx, a timeout, a refused
connection) and :class:`ProviderRefused` for what it cannot (another 4xx: a bad number, a template not approved);
both carry the provider's own message.
"""

from __future__ import annotations

import enum
import hashlib
import hmac
from typing import Protocol

from jangkau.notify.templates import Rendered


class ChannelName(enum.StrEnum):
    SMS = "sms"
    WHATSAPP = "whatsapp"
    EMAIL = "email"
    LOG = "log"  # no provider configured (demo, `make run`): written to the log, masked


PHONE_CHANNELS = frozenset({ChannelName.SMS, ChannelName.WHATSAPP})


class Channel(Protocol):
    """Delivers one message."""

    name: ChannelName

    def send(self, address: str, message: Rendered, reference: str) -> str:
        """Send ``message`` to ``address`` (normalised); ``reference`` is our id. Returns the provider's id."""
        ...


def sign(secret: str, body: bytes) -> str:
    """HMAC-SHA256 of ``body`` with ``secret``, as ``sha256=<hex>`` (the form of both providers' signatures)."""
    return "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


def signature_ok(secret: str, body: bytes, header: str | None) -> bool:
    """Whether ``header`` is the signature of ``body`` (constant-time; no secret configured: never)."""
    if not secret or not header:
        return False
    return hmac.compare_digest(sign(secret, body), header.strip())
