"""Named refusals of the demo loaders (synthetic city, history, field work)."""

from __future__ import annotations

from collections.abc import Iterable

from jangkau.errors import N_, Conflict, bilingual
from jangkau.kit.errors import FieldRefusal


class DemoDateInvalid(FieldRefusal):
    """A date option that is not ``YYYY-MM-DD``."""

    def __init__(self, field: str, text: str) -> None:
        super().__init__(field, bilingual(N_("%(given)s is not a date (YYYY-MM-DD)"), given=repr(text)))


class DemoAsOfInvalid(FieldRefusal):
    """The queued seeding's ``as_of`` is not ``YYYY-MM-DD``."""

    def __init__(self) -> None:
        super().__init__("as_of", bilingual(N_("expected YYYY-MM-DD")))


class DemoScaleUnknown(FieldRefusal):
    """The scale is not one of the shipped sizes."""

    def __init__(self, scales: Iterable[str]) -> None:
        super().__init__("scale", bilingual(N_("must be one of %(scales)s"), scales=", ".join(scales)))


class RegionHasNoVillages(FieldRefusal):
    """The region to seed has no villages in the loaded tree."""

    def __init__(self, region: str) -> None:
        super().__init__("region", bilingual(N_("%(region)s has no villages"), region=region))


class DemoExists(Conflict):
    """Another demo population is loaded (HTTP 409): ``--replace`` starts over."""

    code = "demo_exists"

    def __init__(self, people: int) -> None:
        text = N_("Another demo population (%(people)s people) is already loaded; pass --replace to start over")
        super().__init__(*bilingual(text, people=people), code="demo_exists")
