"""The named refusals of notify (each with a stable code and a message in Bahasa Indonesia and English)."""

from __future__ import annotations

from typing import ClassVar

from jangkau.errors import N_, FieldError, InvalidInput, JangkauError, bilingual


class InvalidAddress(InvalidInput):
    """A phone number or e-mail address that cannot receive a message (HTTP 422), with the reason."""

    def __init__(self, field: str, reason: str, /, *, code: str, **params: object) -> None:
        """``reason``: an English msgid (``N_``); ``params`` fill its placeholders."""
        english, indonesian = bilingual(reason, **params)
        super().__init__(
            f"{field}: {english}",
            f"{field}: {indonesian}",
            code=code,
            fields=[FieldError(field, english, indonesian)],
        )


class TemplateError(JangkauError):
    """A template that names an unknown variable, or a render call with missing or unknown variables (HTTP 422)."""

    status: ClassVar[int] = 422

    def __init__(self, message: str, message_id: str) -> None:
        super().__init__(message, message_id, "template_invalid", 422)


class NoConsent(JangkauError):
    """The person has given no consent for any channel that reaches them (HTTP 409)."""

    status: ClassVar[int] = 409

    def __init__(self) -> None:
        english, indonesian = bilingual(
            N_("This person has not agreed to receive messages on any channel that reaches them.")
        )
        super().__init__(english, indonesian, "no_consent", 409)


class ChannelNotConfigured(JangkauError):
    """The channel's provider is not set up in the settings (HTTP 409)."""

    status: ClassVar[int] = 409

    def __init__(self, channel: str) -> None:
        english, indonesian = bilingual(
            N_("The %(channel)s channel is not configured (see JANGKAU_NOTIFY_* settings)."), channel=channel
        )
        super().__init__(english, indonesian, "channel_not_configured", 409)


class BadSignature(JangkauError):
    """A provider callback whose signature does not match (HTTP 401): not from our provider, or altered."""

    status: ClassVar[int] = 401

    def __init__(self) -> None:
        english, indonesian = bilingual(N_("The callback signature is missing or wrong."))
        super().__init__(english, indonesian, "signature_invalid", 401)


class ProviderRefused(Exception):
    """The provider refused the message for good (4xx other than 429): no retry helps. ``str()`` is its message."""


class ProviderUnavailable(Exception):
    """The provider answered 429 or 5xx, or could not be reached: worth a retry later. ``str()`` is its message."""
