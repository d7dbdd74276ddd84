"""The named refusals of the region tree: each with a stable code, its HTTP status and a text in the catalog."""

from __future__ import annotations

from jangkau.errors import FieldError, InvalidInput, NotFound
from jangkau.i18n import N_, bilingual, gettext


class RegionNotFound(NotFound):
    """No region with this code in the tree."""

    code = "region_unknown"

    def __init__(self, code: str) -> None:
        super().__init__(*bilingual(N_("Region %(code)s does not exist"), code=code), code="region_unknown")


class RegionCodeInvalid(InvalidInput):
    """The text is not shaped like a Kemendagri region code (the message says what shape is expected)."""

    code = "region_code_invalid"

    def __init__(self, field: str, text: str, problem: str) -> None:
        template = N_("%(value)s is not a region code: %(problem)s (expected e.g. 12.71 or 12.71.01.1001)")
        en, id_ = bilingual(template, value=repr(text), problem=problem)
        super().__init__(
            f"{field}: {en}", f"{field}: {id_}", code="region_code_invalid", fields=[FieldError(field, en, id_)]
        )


class RegionUnknown(InvalidInput):
    """An input field names a well-formed region code that is not in the tree."""

    code = "region_unknown"

    def __init__(self, field: str, code: str) -> None:
        en, id_ = bilingual(N_("region %(code)s does not exist"), code=code)
        super().__init__(
            f"{field}: {en}", f"{field}: {id_}", code="region_unknown", fields=[FieldError(field, en, id_)]
        )


class RegionLevelWrong(InvalidInput):
    """An input field names a region at another level than the one needed (e.g. a district for a village)."""

    code = "region_level"

    def __init__(self, field: str, code: str, level: str, needed: str, needed_id: str) -> None:
        text = N_("%(code)s is a %(level)s, a %(needed)s code is needed")
        en = gettext(text, "en", code=code, level=level, needed=needed)
        id_ = gettext(text, "id", code=code, level=level, needed=needed_id)
        super().__init__(f"{field}: {en}", f"{field}: {id_}", code="region_level", fields=[FieldError(field, en, id_)])
