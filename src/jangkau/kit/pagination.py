"""Page requests and pages, shared by repositories, the API and the pages.

``Page[T]`` is both what a repository returns (``Page.of(rows, total, request)``, items are ORM rows) and the
typed JSON body of a listing (``response_model=Page[PersonRead]``, built with ``page.map(PersonRead.from_...)``):
``{"items": [...], "total": 1234, "page": 1, "size": 50, "pages": 25}``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Generic, TypeVar

from pydantic import BaseModel, ConfigDict, computed_field

T = TypeVar("T")
U = TypeVar("U")

MAX_PAGE_SIZE = 500


@dataclass(frozen=True)
class PageRequest:
    """Which page of a listing: 1-based ``page`` of ``size`` rows (size capped at 500)."""

    page: int = 1
    size: int = 50

    def __post_init__(self) -> None:
        if self.page < 1:
            raise ValueError("page must be 1 or more")
        if not 1 <= self.size <= MAX_PAGE_SIZE:
            raise ValueError(f"size must be between 1 and {MAX_PAGE_SIZE}")

    @property
    def offset(self) -> int:
        return (self.page - 1) * self.size


class Page(BaseModel, Generic[T]):
    """One page of a listing: the items, the total count over all pages, the 1-based page number and its size."""

    model_config = ConfigDict(frozen=True)

    items: list[T]
    total: int
    page: int
    size: int

    @classmethod
    def of(cls, items: Iterable[T], total: int, request: PageRequest) -> Page[T]:
        """A page of already-loaded rows (no validation: repositories hand ORM rows or tuples)."""
        return cls.model_construct(items=list(items), total=int(total), page=request.page, size=request.size)

    def map(self, convert: Callable[[T], U]) -> Page[U]:
        """The same page with each item converted, e.g. ORM rows to ``XRead`` bodies."""
        return Page[U].model_construct(
            items=[convert(item) for item in self.items], total=self.total, page=self.page, size=self.size
        )

    @property
    def request(self) -> PageRequest:
        return PageRequest(self.page, self.size)

    @computed_field  # type: ignore[prop-decorator]
    @property
    def pages(self) -> int:
        """The number of pages (at least 1)."""
        return max(1, -(-self.total // self.size))

    @property
    def has_next(self) -> bool:
        return self.page < self.pages
