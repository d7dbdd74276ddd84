"""Uploaded documents (a scanned reply letter, a proof of payment, a signed agreement): what is accepted.

A document is accepted when its bytes are a PDF, PNG or JPEG file; the type a browser declares is only
checked against them (a renamed executable or a text file called ``surat.pdf`` is refused).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from jangkau.kit.errors import (
    DocumentEmpty,
    DocumentTooLarge,
    DocumentTypeMismatch,
    DocumentTypeNotAccepted,
    FileNameInvalid,
)

# content type -> (file extension, the bytes such a file starts with)
DOCUMENT_TYPES: dict[str, tuple[str, bytes]] = {
    "application/pdf": (".pdf", b"%PDF-"),
    "image/png": (".png", b"\x89PNG\r\n\x1a\n"),
    "image/jpeg": (".jpg", b"\xff\xd8\xff"),
}
_GENERIC_TYPES = frozenset({"", "application/octet-stream"})
_BY_EXTENSION = {".pdf": "application/pdf", ".png": "image/png", ".jpg": "image/jpeg", ".jpeg": "image/jpeg"}


def check_document(content: bytes, declared_type: str | None, max_bytes: int, field: str = "file") -> str:
    """The content type of an uploaded document, judged by its bytes.

    Raises:
        InvalidInput: empty, larger than ``max_bytes``, not a PDF/PNG/JPEG, or bytes that contradict the
            declared type.
    """
    if not content:
        raise DocumentEmpty(field)
    if len(content) > max_bytes:
        raise DocumentTooLarge(field, max_bytes)
    sniffed = next((kind for kind, (_ext, magic) in DOCUMENT_TYPES.items() if content.startswith(magic)), None)
    if sniffed is None:
        raise DocumentTypeNotAccepted(field)
    declared = (declared_type or "").split(";")[0].strip().lower()
    if declared not in _GENERIC_TYPES and declared != sniffed:
        raise DocumentTypeMismatch(field, declared, sniffed)
    return sniffed


def extension_for(content_type: str) -> str:
    """``.pdf``, ``.png`` or ``.jpg`` for an accepted content type."""
    return DOCUMENT_TYPES[content_type][0]


def media_type_of(file_name: str) -> str:
    """The content type to serve a stored document with (by its extension; unknown: octet-stream)."""
    return _BY_EXTENSION.get(Path(file_name).suffix.lower(), "application/octet-stream")


def upload_file_name(name: str | None, default: str, field: str = "file") -> str:
    """The base name of an uploaded file (no folders), ``default`` when the browser sent none.

    Raises:
        InvalidInput: a name that is no file name (``.``, ``..``, only slashes) or holds control characters.
    """
    if not name:
        return default
    base = Path(name.replace("\\", "/")).name
    if base in ("", ".", "..") or any(ord(c) < 32 for c in base):
        raise FileNameInvalid(field, default)
    return base


# OpenAPI for a route that serves a stored document: ``@router.get(..., response_class=Response, responses=...)``
DOCUMENT_RESPONSES: dict[int | str, dict[str, Any]] = {
    200: {
        "description": "The document (PDF, PNG or JPEG)",
        "content": {kind: {"schema": {"type": "string", "format": "binary"}} for kind in DOCUMENT_TYPES},
    }
}
