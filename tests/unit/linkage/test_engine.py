"""The engine on hand-made data: the register fed as an Arrow table (as the database will feed it)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import duckdb
import pyarrow as pa
import pytest
from typer.testing import CliRunner

from jangkau.errors import InvalidInput
from jangkau.linkage.cli import app
from jangkau.linkage.engine import model as linkage_model
from jangkau.linkage.engine.dedupe import dedupe_list
from jangkau.linkage.engine.link import link_list
from jangkau.linkage.engine.options import LinkOptions
from jangkau.linkage.engine.synth import ErrorRates, make_list, make_register
from jangkau.linkage.lists.validate import load_list

REGISTER = pa.table(
    {
        "person_id": [1, 2, 3, 4],
        "nik": ["1271011508800001", "1271015203850001", "1271011508800002", "1271024701900001"],
        "name": ["MUHAMMAD YUSUF HARAHAP", "SITI AMINAH", "BUDI SANTOSO", "NUR AINI LUBIS"],
        "birth_date": [dt.date(1980, 8, 15), dt.date(1985, 3, 12), dt.date(1980, 8, 15), dt.date(1990, 1, 7)],
        "sex": ["L", "P", "L", "P"],
        "village_code": ["12.71.01.1001", "12.71.01.1002", "12.71.01.1001", "12.71.02.1003"],
    }
)
LIST_CSV = """row_id,nik,name,birth_date,sex,village_code
a,1271011508800001,M. Yusuf Harahap,15-08-1980,L,12.71.01.1001
b,,Hj. St. Aminah,1985-03-12,P,1271011002
c,1271011508800009,Joko Widodo,1980-08-15,L,12.71.01.1001
d,9999999999999999,Nurul Aini Lubis,1990-01-07,P,12.71.02.1003
e,,,,,
f,,Rina Marlina,2001-02-03,P,12.71.02.1003
"""


@pytest.fixture
def listed(tmp_path: Path) -> Path:
    path = tmp_path / "list.csv"
    path.write_text(LIST_CSV, encoding="utf-8")
    return path


def test_links_variants_without_nik_and_never_matches_a_stranger(listed: Path) -> None:
    result = link_list(load_list(listed), REGISTER)
    links = {r["row_id"]: r for r in result.links.to_pylist()}
    assert set(links) == {"a", "b", "c", "d", "e", "f"}
    assert (links["a"]["person_id"], links["a"]["decision"]) == ("1", "match")
    assert (links["b"]["person_id"], links["b"]["decision"]) == ("2", "match")
    # c shares birth date, village and NIK prefix with two persons but not the name: a person has to look
    assert links["c"]["decision"] == "review"
    assert (links["f"]["person_id"], links["f"]["decision"]) == (None, "no_match")
    assert (links["d"]["person_id"], links["d"]["decision"]) == ("4", "match")
    assert links["e"]["decision"] == "rejected"
    assert result.summary["decisions"] == {"match": 3, "review": 1, "no_match": 1, "rejected": 1}
    assert result.summary["register_rows"] == 4


def test_register_as_a_duckdb_relation_gives_the_same_links(listed: Path) -> None:
    con = duckdb.connect()
    relation = con.from_arrow(REGISTER)
    from_relation = link_list(load_list(listed), relation).links
    assert from_relation.equals(link_list(load_list(listed), REGISTER).links)


def test_thresholds_are_settings(listed: Path) -> None:
    strict = link_list(load_list(listed), REGISTER, LinkOptions(match_threshold=1.01, review_threshold=0.5))
    assert "match" not in strict.links.column("decision").to_pylist()


def test_register_without_a_column_is_refused(listed: Path) -> None:
    with pytest.raises(InvalidInput) as err:
        link_list(load_list(listed), REGISTER.drop_columns(["village_code"]))
    assert err.value.code == "register_column_missing"


def test_dedupe_clusters_the_same_person_written_twice(tmp_path: Path) -> None:
    path = tmp_path / "list.csv"
    path.write_text(
        "row_id,nik,name,birth_date,sex,village_code\n"
        "1,1271011508800001,Muhammad Yusuf,1980-08-15,L,12.71.01.1001\n"
        "2,,M. Yusuf,15-08-1980,L,12.71.01.1001\n"
        "3,1271015203850001,Siti Aminah,1985-03-12,P,12.71.01.1002\n",
        encoding="utf-8",
    )
    clusters = {r["row_id"]: r["cluster_id"] for r in dedupe_list(load_list(path)).links.to_pylist()}
    assert clusters["1"] == clusters["2"] != clusters["3"]


def test_shipped_model_has_hand_set_nik_u_and_takes_the_prior_per_run() -> None:
    model = linkage_model.load_model(prior=1e-7)
    nik = next(c for c in model["comparisons"] if c["output_column_name"] == "nik")
    exact = next(lv for lv in nik["comparison_levels"] if lv.get("label_for_charts", "").startswith("Exact"))
    assert exact["u_probability"] == linkage_model.NIK_U["exact"]
    assert model["probability_two_random_records_match"] == 1e-7
    assert all(level.get("m_probability") for c in model["comparisons"] for level in c["comparison_levels"]
               if not level.get("is_null_level"))  # fmt: skip


def test_synthetic_data_is_deterministic_for_a_seed() -> None:
    def generate(seed: int) -> list[tuple[object, ...]]:
        con = duckdb.connect()
        make_register(con, 2000, seed)
        make_list(con, 300, 2000, seed, ErrorRates())
        return con.sql("SELECT * FROM synth_list ORDER BY row_id").fetchall()

    first = generate(5)
    assert first == generate(5)
    assert first != generate(6)
    assert sum(1 for row in first if row[6] is None) > 10  # some list rows are not in the register


def test_cli_file_register_needs_a_list_and_an_out_dir(listed: Path) -> None:
    result = CliRunner().invoke(app, ["run", "--register", "reg.parquet", "--out", "o"])
    assert result.exit_code != 0
    assert "--list" in str(result.exception)
    result = CliRunner().invoke(app, ["run", "--list", str(listed), "--register", "reg.parquet"])
    assert "--out" in str(result.exception)


def test_a_register_index_gives_the_same_links_without_normalising_again(listed: Path, tmp_path: Path) -> None:
    from jangkau.linkage.engine.register import index_register, is_prepared

    index = tmp_path / "register_index.parquet"
    assert index_register(REGISTER, index) == 4
    assert is_prepared(index)
    assert not is_prepared(REGISTER)
    with_index = link_list(load_list(listed), index)
    assert with_index.summary["register_index"] is True
    assert with_index.links.equals(link_list(load_list(listed), REGISTER).links)
