"""Local stand-ins of the message providers, started by the tests (and the bench) on 127.0.0.1 with a free port.

- :class:`FakeGateway` speaks the SMS gateway's JSON (``POST /messages``) or the WhatsApp Cloud API
  (``POST /{phone-number-id}/messages``, template messages), checks the bearer token and the request's shape,
  answers with a provider id, or with queued failures (429, 500) in the provider's error format; it also builds
  the provider's signed callbacks.
- :class:`FakeSmtp` is a real SMTP server (aiosmtpd) that keeps what it receives.
"""

from __future__ import annotations

import hashlib
import hmac
import itertools
import json
import socket
import threading
from collections import deque
from email import message_from_bytes
from email.message import Message
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from aiosmtpd.controller import Controller

TOKEN = "test-token"
PHONE_NUMBER_ID = "1098765432"
SECRET = "callback-secret"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def signature(body: bytes, secret: str = SECRET) -> str:
    return "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    disable_nagle_algorithm = True  # one small response per request: do not wait for delayed ACKs
    server: _Server

    def log_message(self, format: str, *args: Any) -> None:  # quiet
        return

    def _answer(self, status: int, data: dict[str, Any]) -> None:
        body = json.dumps(data).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def do_POST(self) -> None:
        length = int(self.headers.get("Content-Length", "0"))
        raw = self.rfile.read(length)
        self._answer(*self.server.fake.handle(self.path, self.headers.get("Authorization", ""), raw))


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    fake: FakeGateway


class FakeGateway:
    """``kind`` is ``sms`` or ``whatsapp``. ``fail`` queues statuses to answer before accepting again."""

    def __init__(self, kind: str, keep: bool = True) -> None:
        self.kind, self.keep = kind, keep
        self.received: list[dict[str, Any]] = []
        self.count = 0
        self.failures: deque[int] = deque()
        self._ids = itertools.count(1)
        self._lock = threading.Lock()
        self.port = free_port()
        self._server = _Server(("127.0.0.1", self.port), _Handler)
        self._server.fake = self
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def __enter__(self) -> FakeGateway:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._server.shutdown()
        self._server.server_close()

    def fail(self, *statuses: int) -> None:
        self.failures.extend(statuses)

    def env(self) -> dict[str, str]:
        """The JANGKAU_NOTIFY_* settings that point the app at this fake."""
        if self.kind == "sms":
            return {
                "JANGKAU_NOTIFY_SMS_URL": self.url,
                "JANGKAU_NOTIFY_SMS_KEY": TOKEN,
                "JANGKAU_NOTIFY_SMS_SENDER": "BPJSTK",
                "JANGKAU_NOTIFY_SMS_CALLBACK_SECRET": SECRET,
            }
        return {
            "JANGKAU_NOTIFY_WHATSAPP_URL": self.url + "/v21.0",
            "JANGKAU_NOTIFY_WHATSAPP_TOKEN": TOKEN,
            "JANGKAU_NOTIFY_WHATSAPP_PHONE_NUMBER_ID": PHONE_NUMBER_ID,
            "JANGKAU_NOTIFY_WHATSAPP_APP_SECRET": SECRET,
            "JANGKAU_NOTIFY_WHATSAPP_VERIFY_TOKEN": "verify-me",
        }

    def handle(self, path: str, authorization: str, raw: bytes) -> tuple[int, dict[str, Any]]:
        if authorization != f"Bearer {TOKEN}":
            return 401, {"error": {"code": "unauthorized", "message": "bad token"}}
        try:
            data = json.loads(raw)
        except ValueError:
            return 400, {"error": {"code": "bad_json", "message": "body is not JSON"}}
        with self._lock:
            if self.failures:
                return self._failure(self.failures.popleft())
            problem = self._check_sms(path, data) if self.kind == "sms" else self._check_whatsapp(path, data)
            if problem:
                return 400, {"error": {"code": "invalid", "message": problem}}
            self.count += 1
            if self.keep:
                self.received.append(data)
            number = next(self._ids)
        if self.kind == "sms":
            return 202, {"id": f"sms-{number}", "status": "accepted"}
        to = data["to"]
        return 200, {"messaging_product": "whatsapp", "contacts": [{"input": to, "wa_id": to}],
                     "messages": [{"id": f"wamid.TEST{number:08d}"}]}  # fmt: skip

    def _failure(self, status: int) -> tuple[int, dict[str, Any]]:
        if self.kind == "whatsapp":
            text = "(#130429) Rate limit hit" if status == 429 else "(#131000) Something went wrong"
            return status, {"error": {"message": text, "type": "OAuthException", "code": 130429 if status == 429
                                      else 131000}}  # fmt: skip
        text = "rate limit exceeded" if status == 429 else "upstream operator unavailable"
        return status, {"error": {"code": str(status), "message": text}}

    @staticmethod
    def _check_sms(path: str, data: dict[str, Any]) -> str | None:
        if path != "/messages":
            return f"unknown path {path}"
        missing = [k for k in ("from", "to", "text") if not data.get(k)]
        return f"missing {missing}" if missing else None

    @staticmethod
    def _check_whatsapp(path: str, data: dict[str, Any]) -> str | None:
        if path != f"/v21.0/{PHONE_NUMBER_ID}/messages":
            return f"unknown path {path}"
        template = data.get("template") or {}
        if data.get("messaging_product") != "whatsapp" or data.get("type") != "template":
            return "only template messages are allowed outside the 24-hour window"
        if not template.get("name") or not (template.get("language") or {}).get("code"):
            return "template name and language are required"
        return None

    # --- callbacks the provider sends to us ---------------------------------------------------------------
    @staticmethod
    def sms_status(provider_id: str, status: str, error: str | None = None) -> bytes:
        return json.dumps({"type": "status", "id": provider_id, "status": status, "error": error}).encode()

    @staticmethod
    def sms_inbound(phone: str, text: str) -> bytes:
        return json.dumps({"type": "inbound", "from": phone, "text": text}).encode()

    @staticmethod
    def whatsapp_webhook(statuses: list[dict[str, Any]] = (), messages: list[dict[str, Any]] = ()) -> bytes:  # type: ignore[assignment]
        metadata = {"display_phone_number": "6281100000000", "phone_number_id": PHONE_NUMBER_ID}
        value: dict[str, Any] = {"messaging_product": "whatsapp", "metadata": metadata}
        if statuses:
            value["statuses"] = list(statuses)
        if messages:
            value["messages"] = list(messages)
        entry = {"id": "WABA-1", "changes": [{"value": value, "field": "messages"}]}
        return json.dumps({"object": "whatsapp_business_account", "entry": [entry]}).encode()


class _Inbox:
    def __init__(self) -> None:
        self.messages: list[Message] = []
        self.envelopes: list[tuple[str, list[str]]] = []

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        self.messages.append(message_from_bytes(envelope.content))
        self.envelopes.append((envelope.mail_from, list(envelope.rcpt_tos)))
        return "250 Message accepted for delivery"


class FakeSmtp:
    """A real SMTP server on 127.0.0.1 (aiosmtpd) that keeps every message it accepts."""

    def __init__(self) -> None:
        self.inbox = _Inbox()
        self.port = free_port()
        self._controller = Controller(self.inbox, hostname="127.0.0.1", port=self.port)

    def __enter__(self) -> FakeSmtp:
        self._controller.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._controller.stop()

    def env(self) -> dict[str, str]:
        return {
            "JANGKAU_NOTIFY_SMTP_HOST": "127.0.0.1",
            "JANGKAU_NOTIFY_SMTP_PORT": str(self.port),
            "JANGKAU_NOTIFY_SMTP_STARTTLS": "false",
            "JANGKAU_NOTIFY_EMAIL_FROM": "jangkau@bpjs.example.org",
        }
