"""Log lines never carry a NIK or a phone number, and a caller's request id is taken only when it is safe."""

from __future__ import annotations

import json
import logging

from jangkau.system.logs import RedactingJsonFormatter, RequestIdFilter, redact, start_request


def test_redact_hides_nik_and_phone_numbers() -> None:
    line = "NIK 1271011505900001, hp 081234567890 / +6281298765432 / 6285712345678; 12 bills, year 2026"
    out = redact(line)
    assert "1271011505900001" not in out
    assert "081234567890" not in out
    assert "6281298765432" not in out
    assert "6285712345678" not in out
    assert out.count("[nik]") == 1
    assert out.count("[phone]") == 3
    assert "12 bills, year 2026" in out


def test_json_line_has_request_id_and_no_nik() -> None:
    start_request("trace-0001-abc")
    formatter = RedactingJsonFormatter("%(levelname)s %(name)s %(message)s %(request_id)s")
    record = logging.LogRecord("jangkau.x", logging.INFO, __file__, 1, "person %s saved", ("1271011505900001",), None)
    RequestIdFilter().filter(record)
    data = json.loads(formatter.format(record))
    assert data["request_id"] == "trace-0001-abc"
    assert data["message"] == "person [nik] saved"


def test_unsafe_request_ids_are_replaced() -> None:
    assert start_request("order-42-retry-3") == "order-42-retry-3"
    for unsafe in ("1271011505900001", "a b", "x" * 65, "short", None, "id\nINFO forged"):
        assert start_request(unsafe) != unsafe
