"""The claims domain's own rule data (heirs' order and shares, service level, document checklists).

Same format as ``jangkau.rules`` data (``id``, ``version``, ``valid_from``, ``citation``, ``status``,
``unconfirmed``), read into :class:`jangkau.rules.tables.Version` so results name their rules the same way.
"""

from __future__ import annotations

import datetime as dt
import tomllib
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any

from jangkau.rules import Status
from jangkau.rules.tables import Version

_META = {"id", "version", "valid_from", "valid_to", "citation", "status", "unconfirmed", "title"}


@cache
def load(name: str) -> Version:
    """The data file ``claims/data/<name>.toml`` as a rule version (read once)."""
    source = f"claims/data/{name}.toml"
    raw: dict[str, Any] = tomllib.loads((resources.files("jangkau.claims") / "data" / f"{name}.toml").read_text())
    valid_to = raw.get("valid_to")
    return Version(
        id=str(raw["id"]),
        version=str(raw["version"]),
        title=str(raw.get("title", "")),
        valid_from=raw["valid_from"],
        valid_to=valid_to if isinstance(valid_to, dt.date) else None,
        citation=str(raw["citation"]),
        status=Status(raw["status"]),
        unconfirmed=tuple(str(x) for x in raw.get("unconfirmed", [])),
        data={k: v for k, v in raw.items() if k not in _META},
        source=source,
    )


def heir_rules(program: str = "") -> Version:
    """The heirs' order of a programme: the JP survivor's pension has its own (PP 45/2015), the others PP 44/2015's."""
    return load("heirs_jp" if program == "jp" else "heirs")


def service_level() -> Version:
    return load("service_level")


@dataclass(frozen=True)
class DocumentSpec:
    """One document of a claim's checklist."""

    code: str
    label_id: str
    label_en: str
    required: bool
    source: str | None = None  # the citation, or None: UNCONFIRMED

    def as_dict(self) -> dict[str, Any]:
        return {
            "code": self.code,
            "label_id": self.label_id,
            "label_en": self.label_en,
            "required": self.required,
            "source": self.source or "UNCONFIRMED: not in REFERENCE.md",
            "confirmed": self.source is not None,
        }


def checklist(kind: str) -> list[DocumentSpec]:
    """The documents of a claim type (``jkm.death``): required ones first, then optional ones, each with its source
    or None (UNCONFIRMED)."""
    data = load("documents").data
    labels: dict[str, list[str]] = data["documents"]
    sources: dict[str, str] = data.get("sources", {})

    def spec(code: str, required: bool) -> DocumentSpec:
        return DocumentSpec(code, labels[code][0], labels[code][1], required, sources.get(code))

    required = [spec(c, True) for c in data["kinds"].get(kind, [])]
    optional = [spec(c, False) for c in data.get("optional", {}).get(kind, [])]
    return required + optional
