"""E-mail through SMTP (standard library ``smtplib``), plain text, one connection per message."""

from __future__ import annotations

import smtplib
import uuid
from email.message import EmailMessage
from email.utils import make_msgid

from jangkau.notify.channels.base import ChannelName
from jangkau.notify.errors import ProviderRefused, ProviderUnavailable
from jangkau.notify.templates import Rendered


class EmailChannel:
    name = ChannelName.EMAIL

    def __init__(
        self, host: str, port: int, sender: str, user: str = "", password: str = "", starttls: bool = True
    ) -> None:
        self._host, self._port, self._sender = host, port, sender
        self._user, self._password, self._starttls = user, password, starttls

    def _message(self, address: str, message: Rendered, reference: str) -> EmailMessage:
        mail = EmailMessage()
        mail["From"], mail["To"], mail["Subject"] = self._sender, address, message.subject
        domain = self._sender.rpartition("@")[2] or "localhost"
        mail["Message-ID"] = make_msgid(idstring=f"{reference}.{uuid.uuid4().hex[:8]}", domain=domain)
        mail["X-Jangkau-Reference"] = reference
        mail.set_content(message.text)
        return mail

    def send(self, address: str, message: Rendered, reference: str) -> str:
        mail = self._message(address, message, reference)
        try:
            with smtplib.SMTP(self._host, self._port, timeout=10) as smtp:
                if self._starttls:
                    smtp.starttls()
                if self._user:
                    smtp.login(self._user, self._password)
                smtp.send_message(mail)
        except smtplib.SMTPRecipientsRefused as exc:
            raise ProviderRefused(f"recipient refused: {_first(exc.recipients)}") from None
        except smtplib.SMTPResponseException as exc:
            raw = exc.smtp_error
            detail = raw.decode(errors="replace") if isinstance(raw, bytes) else str(raw)
            text = f"SMTP {exc.smtp_code}: {detail[:200]}"
            if 400 <= exc.smtp_code < 500:
                raise ProviderUnavailable(text) from None
            raise ProviderRefused(text) from None
        except (OSError, smtplib.SMTPException) as exc:
            raise ProviderUnavailable(f"{type(exc).__name__}: SMTP server not reachable") from None
        return str(mail["Message-ID"])


def _first(recipients: dict[str, tuple[int, bytes]]) -> str:
    for code, text in recipients.values():
        return f"{code} {text.decode(errors='replace')[:200]}"
    return ""
