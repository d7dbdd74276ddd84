"""The register as linkage reads it: from a file, an Arrow table or a DuckDB relation, or from an index.

A register *index* (:func:`index_register`) is the register already normalised, written as Parquet; a run
that reads it skips the costliest phase.  The database register will be fed as an Arrow table or relation.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, TypeAlias

import duckdb
import pyarrow as pa

from jangkau.linkage.engine.normalise import PREPARED_COLUMNS, prepare_table
from jangkau.linkage.errors import RegisterColumnMissing, RegisterFileNotFound, RegisterFormatUnknown

if TYPE_CHECKING:
    from jangkau.linkage.engine.options import LinkOptions

REGISTER_COLUMNS = ("person_id", "nik", "name", "birth_date", "sex", "village_code")
RegisterSource: TypeAlias = pa.Table | pa.RecordBatchReader | duckdb.DuckDBPyRelation | Path


def load_register(con: duckdb.DuckDBPyConnection, source: RegisterSource, name: str = "register_raw") -> int:
    """Make the register available as view ``name`` with clean types; return its number of persons.

    Args:
        con: the linkage connection.
        source: an Arrow table or reader, a DuckDB relation (e.g. from the database), or a Parquet/CSV file,
            with columns ``person_id, nik, name, birth_date, sex, village_code``.
        name: the view to create.

    Returns:
        The number of register rows.

    Raises:
        InvalidInput: the file is missing or of an unknown type, or a column is missing.
    """
    if isinstance(source, Path):
        relation = _register_file(con, source)
    else:
        relation = source.to_arrow_table() if isinstance(source, duckdb.DuckDBPyRelation) else source
    con.register(f"{name}__src", relation)
    types = {r[0]: str(r[1]).upper() for r in con.sql(f"DESCRIBE {name}__src").fetchall()}
    missing = [c for c in REGISTER_COLUMNS if c not in types]
    if missing:
        raise RegisterColumnMissing(missing, list(REGISTER_COLUMNS))
    born = (
        "birth_date" if types["birth_date"] == "DATE" else
        "coalesce(try_cast(birth_date AS DATE), CAST(try_strptime(CAST(birth_date AS VARCHAR), '%d-%m-%Y') AS DATE))"
    )  # fmt: skip
    village = "CAST(village_code AS VARCHAR)"
    kind = "TABLE" if isinstance(source, pa.RecordBatchReader) else "VIEW"  # a reader can be read only once
    con.sql(f"""
        CREATE OR REPLACE {kind} {name} AS
        SELECT CAST(person_id AS VARCHAR) AS person_id, CAST(nik AS VARCHAR) AS nik, CAST(name AS VARCHAR) AS name,
               {born} AS birth_date,
               CASE WHEN sex IN ('L', 'P') THEN sex WHEN upper(left(sex, 1)) IN ('L', 'M') THEN 'L'
                    WHEN upper(left(sex, 1)) IN ('P', 'F', 'W') THEN 'P' END AS sex,
               CASE WHEN length({village}) = 10 AND NOT contains({village}, '.') THEN
                   regexp_replace({village}, '^(..)(..)(..)(....)$', '\\1.\\2.\\3.\\4') ELSE {village} END
                   AS village_code
        FROM {name}__src
    """)
    count: int = con.sql(f"SELECT count(*) FROM {name}").fetchall()[0][0]
    return count


def _register_file(con: duckdb.DuckDBPyConnection, path: Path) -> duckdb.DuckDBPyRelation:
    if not path.is_file():
        raise RegisterFileNotFound(path)
    suffix = path.suffix.lower()
    if suffix in (".parquet", ".pq"):
        return con.read_parquet(str(path))
    if suffix == ".csv":
        return con.read_csv(str(path), all_varchar=True)
    raise RegisterFormatUnknown(path.name)


def is_prepared(source: RegisterSource) -> bool:
    """Whether ``source`` is a register index written by :func:`index_register` (already normalised)."""
    if isinstance(source, Path):
        if source.suffix.lower() not in (".parquet", ".pq") or not source.is_file():
            return False
        import pyarrow.parquet as pq

        names = set(pq.read_schema(source).names)
    elif isinstance(source, duckdb.DuckDBPyRelation):
        names = set(source.columns)
    else:
        names = set(source.schema.names)
    return set(PREPARED_COLUMNS) <= names


def attach_prepared(con: duckdb.DuckDBPyConnection, source: RegisterSource, name: str = "register_prepared") -> int:
    """Make a register index available as view (or table, for a one-shot reader) ``name``; return its size."""
    if isinstance(source, Path):
        con.sql(f"CREATE OR REPLACE VIEW {name} AS SELECT * FROM read_parquet('{source}')")
    else:
        relation = source.to_arrow_table() if isinstance(source, duckdb.DuckDBPyRelation) else source
        con.register(f"{name}__src", relation)
        kind = "TABLE" if isinstance(source, pa.RecordBatchReader) else "VIEW"
        con.sql(f"CREATE OR REPLACE {kind} {name} AS SELECT * FROM {name}__src")
    count: int = con.sql(f"SELECT count(*) FROM {name}").fetchall()[0][0]
    return count


def index_register(source: RegisterSource, out: Path, options: LinkOptions | None = None) -> int:
    """Normalise a whole register once and write it as Parquet: a register index that later runs read.

    The register changes slowly while lists come often; with an index a run skips the costliest phase
    (normalising every registered name).  Rebuild it when the register changes.

    Args:
        source: the register (as for :func:`link_list`).
        out: the Parquet file to write.
        options: resources (threads, memory limit, spill directory).

    Returns:
        The number of persons indexed.
    """
    from jangkau.linkage.engine.options import LinkOptions, connect

    con = connect(options or LinkOptions())
    try:
        count = load_register(con, source)
        prepare_table(con, "register_raw", "person_id", "register_index")
        out.parent.mkdir(parents=True, exist_ok=True)
        con.sql(f"COPY register_index TO '{out}' (FORMAT parquet)")
    finally:
        con.close()
    return count
