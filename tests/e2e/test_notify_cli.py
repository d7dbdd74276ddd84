"""``jangkau notify test`` as a subprocess against providers started here: a real SMTP server (aiosmtpd), and local
HTTP servers that speak the SMS gateway's and the WhatsApp Cloud API's formats."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from tests.e2e.conftest import run_cli
from tests.notify_fakes import PHONE_NUMBER_ID, FakeGateway, FakeSmtp


@pytest.fixture
def bare_env(tmp_path: Path) -> dict[str, str]:
    """No database needed: the test command talks to the provider only."""
    return {**os.environ, "JANGKAU_VAR_DIR": str(tmp_path), "JANGKAU_DATABASE_URL": "", "COLUMNS": "200"}


def test_notify_test_email_is_delivered_to_the_smtp_server(bare_env: dict[str, str]) -> None:
    with FakeSmtp() as smtp:
        out = run_cli("notify", "test", "--channel", "email", "--to", "someone@example.org", "--json",
                      env={**bare_env, **smtp.env()})  # fmt: skip
        assert json.loads(out.stdout)["status"] == "sent"
        assert smtp.inbox.envelopes == [("jangkau@bpjs.example.org", ["someone@example.org"])]
        mail = smtp.inbox.messages[0]
        assert mail["Subject"] == "Pesan uji Jangkau"
        assert "Pesan uji dari Jangkau" in mail.get_payload(decode=True).decode()


def test_notify_test_sms_reaches_the_gateway_normalised_with_how_to_stop(bare_env: dict[str, str]) -> None:
    with FakeGateway("sms") as gateway:
        out = run_cli("notify", "test", "--channel", "sms", "--to", "0812-3456-7890", "--json",
                      env={**bare_env, **gateway.env()})  # fmt: skip
        assert json.loads(out.stdout)["provider_id"] == "sms-1"
        [sent] = gateway.received
        assert (sent["to"], sent["from"]) == ("+6281234567890", "BPJSTK")
        assert sent["text"].startswith("Pesan uji dari Jangkau")
        assert "Balas STOP" in sent["text"]


def test_notify_test_whatsapp_sends_a_template_message(bare_env: dict[str, str]) -> None:
    with FakeGateway("whatsapp") as cloud:
        out = run_cli("notify", "test", "--channel", "whatsapp", "--to", "+62 812 3456 7890", "--lang", "en",
                      "--json", env={**bare_env, **cloud.env()})  # fmt: skip
        assert json.loads(out.stdout)["provider_id"] == "wamid.TEST00000001"
        [sent] = cloud.received
        assert sent["to"] == "6281234567890"
        assert sent["template"]["name"] == "jangkau_pesan_uji"
        assert sent["template"]["language"] == {"code": "en"}
        assert len(sent["template"]["components"][0]["parameters"]) == 1
        assert PHONE_NUMBER_ID in cloud.env()["JANGKAU_NOTIFY_WHATSAPP_PHONE_NUMBER_ID"]


@pytest.mark.parametrize(
    ("channel", "to", "reason"),
    [
        ("sms", "021-5551234", "not a mobile number"),
        ("sms", "+65 8123 4567", "not an Indonesian number"),
        ("whatsapp", "0812", "digits"),
        ("email", "someone@@example", "not a valid e-mail address"),
    ],
)
def test_notify_test_refuses_a_bad_address_with_the_reason(
    bare_env: dict[str, str], channel: str, to: str, reason: str
) -> None:
    with FakeGateway("sms") as gateway, FakeGateway("whatsapp") as cloud, FakeSmtp() as smtp:
        env = {**bare_env, **gateway.env(), **cloud.env(), **smtp.env()}
        out = run_cli("notify", "test", "--channel", channel, "--to", to, env=env, check=False)
        assert out.returncode == 2
        assert reason in out.stdout + out.stderr
        assert gateway.count == cloud.count == 0
        assert not smtp.inbox.messages


def test_notify_test_reports_the_providers_message_when_it_fails(bare_env: dict[str, str]) -> None:
    with FakeGateway("sms") as gateway:
        gateway.fail(503)
        out = run_cli("notify", "test", "--channel", "sms", "--to", "081234567890", env={**bare_env, **gateway.env()},
                      check=False)  # fmt: skip
        assert out.returncode == 1
        assert "upstream operator unavailable" in out.stdout


def test_notify_test_of_a_channel_not_configured_says_so(bare_env: dict[str, str]) -> None:
    out = run_cli("notify", "test", "--channel", "sms", "--to", "081234567890", env=bare_env, check=False)
    assert out.returncode == 2
    assert "not configured" in out.stdout + out.stderr


def test_the_templates_are_listed_with_their_whatsapp_names_in_both_languages(bare_env: dict[str, str]) -> None:
    indonesian = json.loads(run_cli("notify", "templates", "--json", env=bare_env).stdout)
    english = json.loads(run_cli("notify", "templates", "--lang", "en", "--json", env=bare_env).stdout)
    by_use = {t["use"]: t for t in indonesian}
    assert by_use["contribution_due_7"]["whatsapp"] == "jangkau_iuran_jatuh_tempo_7"
    assert by_use["contribution_due_7"]["text"].startswith("Yth. {nama}")
    assert {t["use"]: t for t in english}["contribution_due_7"]["text"].startswith("Dear {nama}")
    assert {"coverage_code", "agent_followups", "claim_paid"} <= set(by_use)
