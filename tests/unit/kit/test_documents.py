"""Uploaded documents are judged by their bytes; the declared type may only agree with them."""

from __future__ import annotations

import pytest

from jangkau.errors import InvalidInput
from jangkau.kit.documents import check_document, media_type_of

PDF = b"%PDF-1.7\n1 0 obj\n"
PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR"


def test_a_pdf_is_a_pdf_whatever_generic_type_the_browser_sends() -> None:
    assert check_document(PDF, "application/pdf", 1000) == "application/pdf"
    assert check_document(PDF, "application/octet-stream", 1000) == "application/pdf"
    assert check_document(PNG, None, 1000) == "image/png"


@pytest.mark.parametrize(
    ("content", "declared", "says"),
    [
        (b"", "application/pdf", "empty"),
        (PDF * 100, "application/pdf", "larger than"),
        (b"MZ\x90\x00 not a document", "application/pdf", "only PDF, PNG or JPEG"),
        (b"nama,nik\n", "text/csv", "only PDF, PNG or JPEG"),
        (PNG, "application/pdf", "says it is application/pdf but its content is image/png"),
    ],
)
def test_refusals_say_what_is_wrong(content: bytes, declared: str, says: str) -> None:
    with pytest.raises(InvalidInput) as refused:
        check_document(content, declared, 1000)
    assert says in refused.value.fields[0].message


def test_media_type_by_extension() -> None:
    assert media_type_of("balasan.PDF") == "application/pdf"
    assert media_type_of("bukti.jpeg") == "image/jpeg"
    assert media_type_of("lain.bin") == "application/octet-stream"
