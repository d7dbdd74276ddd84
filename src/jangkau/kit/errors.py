"""Named refusals of the kit (domain-free helpers), and :class:`FieldRefusal`, the base of a refusal about one
input field that every layer above may use."""

from __future__ import annotations

from jangkau.errors import N_, FieldError, InvalidInput, bilingual


class FieldRefusal(InvalidInput):
    """One input field breaks a rule (HTTP 422): the message names the field, ``fields`` holds it.

    The same body as ``InvalidInput.for_field``; a subclass gives its code and its catalog text::

        class ScaleUnknown(FieldRefusal):
            code = "demo_scale_unknown"
            def __init__(self) -> None:
                super().__init__("scale", bilingual(N_("must be small, medium or large")))
    """

    code = "invalid_input"  # each subclass names its own; the dataclass field of the instance gets it

    def __init__(self, field: str, texts: tuple[str, str], code: str | None = None) -> None:
        english, indonesian = texts
        super().__init__(
            f"{field}: {english}",
            f"{field}: {indonesian}",
            code=code or self.code,
            fields=[FieldError(field, english, indonesian)],
        )


class DocumentEmpty(FieldRefusal):
    """The uploaded file is empty."""

    code = "document_size"

    def __init__(self, field: str) -> None:
        super().__init__(field, bilingual(N_("the file is empty")))


class DocumentTooLarge(FieldRefusal):
    """The uploaded file is larger than the limit."""

    code = "document_size"

    def __init__(self, field: str, max_bytes: int) -> None:
        super().__init__(field, bilingual(N_("larger than %(max)s bytes"), max=f"{max_bytes:,}"))


class DocumentTypeNotAccepted(FieldRefusal):
    """The uploaded file is not a PDF, PNG or JPEG."""

    code = "document_type"

    def __init__(self, field: str) -> None:
        super().__init__(field, bilingual(N_("only PDF, PNG or JPEG files")))


class DocumentTypeMismatch(FieldRefusal):
    """The declared content type contradicts the file's bytes."""

    code = "document_type"

    def __init__(self, field: str, declared: str, sniffed: str) -> None:
        text = N_("the file says it is %(declared)s but its content is %(sniffed)s")
        super().__init__(field, bilingual(text, declared=declared, sniffed=sniffed))


class FileNameInvalid(FieldRefusal):
    """An uploaded file's name is no file name (``.``, ``..``, only slashes, control characters)."""

    code = "file_name_invalid"

    def __init__(self, field: str, example: str) -> None:
        super().__init__(field, bilingual(N_("the file name must be a file name such as %(example)s"), example=example))


class InputInvalid(InvalidInput):
    """Input that fails its schema (pydantic), each bad field named (HTTP 422)."""

    code = "invalid_input"

    def __init__(self, fields: list[FieldError]) -> None:
        details = "; ".join(f"{f.field}: {f.message}" for f in fields)
        super().__init__(*bilingual(N_("Invalid input: %(details)s"), details=details), fields=fields)
