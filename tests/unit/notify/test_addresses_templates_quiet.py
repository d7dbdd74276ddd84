"""Bad input refused with the reason: phone numbers, e-mail addresses, templates; and the quiet hours by zone."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from jangkau.notify.addresses import check_email, mask_address, normalise_phone
from jangkau.notify.channels.base import sign, signature_ok
from jangkau.notify.errors import InvalidAddress, TemplateError
from jangkau.notify.quiet import WIB, WIT, WITA, is_quiet, next_allowed, zone_of
from jangkau.notify.templates import DATA, Use, catalog, parse_catalog, render


@pytest.mark.parametrize(
    ("typed", "normalised"),
    [
        ("081234567890", "+6281234567890"),
        ("0812-3456-7890", "+6281234567890"),
        ("+62 812 3456 7890", "+6281234567890"),
        ("6281234567890", "+6281234567890"),
        ("(0852) 1234.5678", "+6285212345678"),
        ("0895123456", "+62895123456"),
    ],
)
def test_indonesian_mobile_numbers_are_normalised(typed: str, normalised: str) -> None:
    assert normalise_phone(typed) == normalised


@pytest.mark.parametrize(
    ("typed", "reason"),
    [
        ("", "no phone number"),
        ("021-5551234", "not a mobile number"),
        ("+65 8123 4567", "not an Indonesian number"),
        ("0812345", "this has 7"),
        ("08123456789012345", "this has 17"),
        ("0812abc45678", "only digits"),
        ("812345678", "must start with 08"),
    ],
)
def test_other_numbers_are_refused_with_the_reason(typed: str, reason: str) -> None:
    with pytest.raises(InvalidAddress) as refused:
        normalise_phone(typed)
    assert reason in refused.value.message
    assert refused.value.code == "phone_invalid"
    assert refused.value.message_id  # and in Bahasa Indonesia


@pytest.mark.parametrize("bad", ["budi", "budi@", "@example.org", "budi@example", "bu di@example.org", "a@b..org"])
def test_email_addresses_failing_the_syntax_are_refused(bad: str) -> None:
    with pytest.raises(InvalidAddress, match="not a valid e-mail address"):
        check_email(bad)


def test_email_domain_is_lower_cased_and_addresses_masked() -> None:
    assert check_email(" Budi.S@Example.ORG ") == "Budi.S@example.org"
    assert mask_address("+6281234567890") == "+6281*****7890"
    assert mask_address("budi@example.org") == "b***@example.org"


def test_a_template_naming_an_unknown_variable_is_refused_at_load() -> None:
    text = DATA.read_text(encoding="utf-8").replace(
        "Kode cek kepesertaan BPJS Ketenagakerjaan Anda: {kode}", "Kode Anda: {kode} untuk {nik}"
    )
    with pytest.raises(TemplateError, match=r"coverage_code \(id\) names unknown variable\(s\) \['nik'\]"):
        parse_catalog(text)


def test_a_use_without_its_template_is_refused_at_load() -> None:
    text = DATA.read_text(encoding="utf-8").split("[uses.test]")[0]
    with pytest.raises(TemplateError, match=r"templates missing for \['test'\]"):
        parse_catalog(text)


def test_render_refuses_unknown_and_missing_variables() -> None:
    with pytest.raises(TemplateError, match=r"unknown variable\(s\) \['nik'\], missing \[\]"):
        render(Use.COVERAGE_CODE, "id", {"kode": "123456", "nik": "1271"})
    with pytest.raises(TemplateError, match=r"missing \['kode'\]"):
        render(Use.COVERAGE_CODE, "id", {})


def test_every_template_has_a_whatsapp_name_and_both_languages() -> None:
    for template in catalog().templates.values():
        assert template.whatsapp.startswith("jangkau_")
        assert set(template.texts) == {"id", "en"}


def test_zones_by_province() -> None:
    assert zone_of("12.71.01.1001") is WIB  # Medan
    assert zone_of("51.71") is WITA  # Denpasar
    assert zone_of("73.71") is WITA  # Makassar
    assert zone_of("91.71") is WIT  # Jayapura
    assert zone_of(None) is WIB


def test_quiet_hours_are_local_and_defer_to_seven() -> None:
    at = dt.datetime(2026, 11, 10, 19, 30, tzinfo=WIB)  # 19:30 WIB = 21:30 WIT
    assert not is_quiet(at, "12.71")
    assert is_quiet(at, "91.71")
    assert next_allowed(at, "91.71") == dt.datetime(2026, 11, 11, 7, 0, tzinfo=WIT)
    early = dt.datetime(2026, 11, 10, 6, 59, tzinfo=ZoneInfo("Asia/Makassar"))
    assert next_allowed(early, "73.71") == dt.datetime(2026, 11, 10, 7, 0, tzinfo=WITA)
    assert next_allowed(at, "12.71") == at


def test_signatures_are_hmac_sha256_of_the_body() -> None:
    body = b'{"a": 1}'
    assert signature_ok("s3cret", body, sign("s3cret", body))
    assert not signature_ok("s3cret", body + b" ", sign("s3cret", body))
    assert not signature_ok("", body, sign("", body)), "no secret configured: nothing is accepted"
    assert not signature_ok("s3cret", body, None)
