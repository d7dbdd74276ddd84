"""``jangkau link``: list linkage from the command line (thin: parse, call the service, render)."""

from __future__ import annotations

import json
import time
from pathlib import Path
from typing import Any

import typer

from jangkau.clikit import emit_json, key_values, progress
from jangkau.errors import InvalidInput
from jangkau.i18n import N_, bilingual
from jangkau.linkage.engine.options import LinkOptions
from jangkau.linkage.lists.read import ColumnMapping

app = typer.Typer(help="Link outside lists to the register and find duplicates.", no_args_is_help=True)

LIST_OPT = typer.Option(
    ..., "--list", help="List file: CSV, XLSX or Parquet (nik, name, birth_date, sex, village_code)."
)
OUT_OPT = typer.Option(..., "--out", help="Output directory.")
MAPPING_OPT = typer.Option(None, "--mapping", help="JSON file with a saved column mapping.")
ENCODING_OPT = typer.Option(None, "--encoding", help="CSV encoding, e.g. utf-8 or cp1252 (default: detect).")
JSON_OPT = typer.Option(False, "--json", help="Print the summary as JSON.")


def _mapping(path: Path | None, encoding: str | None) -> ColumnMapping:
    mapping = ColumnMapping.from_dict(json.loads(path.read_text(encoding="utf-8"))) if path else ColumnMapping()
    if encoding:
        mapping.encoding = encoding
    return mapping


def _show(title: str, summary: dict[str, Any], as_json: bool) -> None:
    if as_json:
        emit_json(summary)
        return
    flat = {k: v for k, v in summary.items() if not isinstance(v, dict)}
    flat.update({f"decision {k}": v for k, v in summary.get("decisions", {}).items()})
    flat.update({f"time {k} (s)": v for k, v in summary.get("timings_s", {}).items()})
    key_values(title, flat)


@app.command("run")
def run_command(
    list_path: Path | None = typer.Option(None, "--list", help="List file: CSV, XLSX or Parquet."),
    list_id: int | None = typer.Option(None, "--list-id", help="An imported list (links to the database register)."),
    register: str = typer.Option("db", "--register", help="'db' (the database register) or a Parquet/CSV file."),
    out: Path | None = typer.Option(None, "--out", help="Output directory (required for a file register)."),
    source: str | None = typer.Option(None, "--source", help="With --register db: source name (default: file stem)."),
    mapping: Path | None = MAPPING_OPT,
    encoding: str | None = ENCODING_OPT,
    match_threshold: float = typer.Option(0.9, help="Best candidate at or above this is a match."),
    review_threshold: float = typer.Option(0.5, help="At or above this (below match) goes to review."),
    threads: int | None = typer.Option(None, help="DuckDB threads (default: all cores)."),
    memory_limit: str | None = typer.Option(None, help="DuckDB memory limit, e.g. 4GB."),
    num_chunks: int = typer.Option(1, help="Score in this many chunks of the list (bounded memory)."),
    materialisation: str = typer.Option("table", help="'table' (in memory) or 'parquet' (spill to OUT/work)."),
    engine: str = typer.Option("duckdb", "--engine", help="Where pairs are scored: 'duckdb' or 'spark'."),
    spark_master: str | None = typer.Option(
        None, "--spark-master", help="With --engine spark: local[*] (default), local[N] or spark://HOST:PORT."
    ),
    spark_driver_memory: str = typer.Option("2g", help="With --engine spark: memory of the Spark driver JVM."),
    as_json: bool = JSON_OPT,
) -> None:
    """Link a list to the register: writes links.csv, rejected.csv, issues.csv and summary.json.

    With --register db (or --list-id) the list is imported and its decisions are stored in the database.
    With --engine spark the candidate pairs are scored by Splink on Spark (the `spark` extra and Java 17);
    the same model gives the same decisions as on DuckDB.
    """
    from jangkau.linkage.service import resolve_register

    spark_master = _engine_ready(engine, spark_master)
    work = (out or Path("var/linkage")) / "work"
    options = LinkOptions(
        match_threshold=match_threshold,
        review_threshold=review_threshold,
        threads=threads,
        memory_limit=memory_limit,
        num_chunks=num_chunks,
        materialisation=materialisation,
        work_dir=work,
        engine=engine,
        spark_master=spark_master,
        spark_driver_memory=spark_driver_memory,
    )
    register_path = resolve_register(register)
    with progress(transient=as_json) as bar:
        on_phase, finish = _phase_bars(bar)
        if list_id is not None or register_path is None:
            summary = _run_db(list_path, list_id, out, source, _mapping(mapping, encoding), options, on_phase)
        else:
            summary = _run_file(list_path, register_path, out, _mapping(mapping, encoding), options, on_phase)
        finish()
    run = summary.get("run")
    if run and run["state"] == "failed":
        from jangkau.linkage.runs import run_failed

        raise run_failed(run)
    _show(f"Linked {list_path.name if list_path else f'list {list_id}'}", summary, as_json)


def _engine_ready(engine: str, spark_master: str | None) -> str | None:
    """Refuse an unknown engine, or a Spark engine that cannot run here, before anything is read or stored."""
    if engine not in ("duckdb", "spark"):
        raise InvalidInput.for_field(
            "engine", *bilingual(N_("must be duckdb or spark, not %(engine)s"), engine=repr(engine))
        )
    if engine == "duckdb":
        return None
    from jangkau.linkage.engine.spark import check_available

    return check_available(spark_master)


def _phase_bars(bar: Any) -> tuple[Any, Any]:
    """One progress bar per phase: a phase's bar fills when the next phase starts (its elapsed time stays)."""
    current: list[Any] = []

    def on_phase(name: str) -> None:
        if current:
            bar.update(current[-1], completed=1)
        current.append(bar.add_task(name, total=1))

    def finish() -> None:
        if current:
            bar.update(current[-1], completed=1)

    return on_phase, finish


def _need(value: Any, flag: str) -> Any:
    if value is None:
        raise InvalidInput(*bilingual(N_("give %(flag)s"), flag=flag), code="option_missing")
    return value


def _run_file(
    list_path: Path | None, register: Path, out: Path | None, mapping: ColumnMapping, options: LinkOptions,
    on_phase: Any,
) -> dict[str, Any]:  # fmt: skip
    from jangkau.linkage.service import link_files

    return link_files(_need(list_path, "--list"), register, _need(out, "--out"), options, mapping, on_phase)


def _run_db(
    list_path: Path | None, list_id: int | None, out: Path | None, source: str | None, mapping: ColumnMapping,
    options: LinkOptions, on_phase: Any,
) -> dict[str, Any]:  # fmt: skip
    from jangkau.auth.principal import OPERATOR
    from jangkau.db.session import unit
    from jangkau.linkage.runs import import_and_run, run_list

    path: Path = _need(list_path, "--list or --list-id") if list_id is None else Path()
    with unit() as session:
        if list_id is not None:
            return run_list(session, OPERATOR, list_id, options, out, on_phase)
        given = mapping if (mapping.columns or mapping.encoding or mapping.sheet) else None
        return import_and_run(session, OPERATOR, path, source or path.stem, given, options, out, on_phase)


@app.command("import")
def import_command(
    list_path: Path = LIST_OPT,
    source: str = typer.Option(..., "--source", help="Source name, e.g. 'Kepling' (a new version each import)."),
    mapping: Path | None = MAPPING_OPT,
    encoding: str | None = ENCODING_OPT,
    as_json: bool = JSON_OPT,
    link: bool = typer.Option(False, "--link", help="With --background: also link the list once imported."),
    background: bool = typer.Option(False, "--background", help="Queue it for the worker (linkage.import)."),
) -> None:
    """Import a list into the database as the next version of a source (every row checked, nothing dropped)."""
    from jangkau.auth.principal import OPERATOR
    from jangkau.db.session import unit
    from jangkau.linkage.imports import import_list

    given = _mapping(mapping, encoding) if (mapping or encoding) else None
    if background:
        _queue_import(list_path, source, given, link, as_json)
        return
    with unit() as session:
        summary = import_list(session, OPERATOR, list_path, source, given)
    _show(f"Imported {list_path.name} as {source} v{summary['version']}", summary, as_json)


def _queue_import(list_path: Path, source: str, given: ColumnMapping | None, link: bool, as_json: bool) -> None:
    from jangkau.auth.principal import OPERATOR
    from jangkau.db.session import unit
    from jangkau.linkage import tasks
    from jangkau.linkage.imports import store_upload
    from jangkau.tasks.record import enqueue_in

    mapping_json = json.dumps(given.as_dict()) if given else ""
    with unit() as session:
        upload = store_upload(
            session, OPERATOR, list_path.name, list_path.read_bytes(), source, mapping_json, link=link
        )
        task_id = enqueue_in(session, tasks.import_upload, "cli", upload_id=upload.id, user_id=None)
    if as_json:
        emit_json({"task_id": task_id, "status": "queued", "upload_id": upload.id})
        return
    typer.echo(f"Queued as task {task_id}: follow it with `jangkau tasks list` or on /admin/tasks.")


@app.command("outcome")
def outcome_command(
    list_id: int = typer.Option(..., "--list-id", help="A linked list."),
    out: Path | None = typer.Option(None, "--out", help="Write the outcome as CSV (or .xlsx) here."),
    prospects: bool = typer.Option(False, "--prospects", help="Hand the not-registered to outreach as prospects."),
    as_json: bool = JSON_OPT,
) -> None:
    """Who on a list is covered, pending, lapsed, not registered or in review; optionally make prospects."""
    from jangkau.auth.principal import OPERATOR
    from jangkau.db.session import unit
    from jangkau.linkage.outcome import list_outcome, make_prospects, outcome_csv, outcome_xlsx

    with unit() as session:
        made = make_prospects(session, OPERATOR, list_id) if prospects else None
        outcome = list_outcome(session, OPERATOR, list_id)
    if out is not None:
        if out.suffix.lower() == ".xlsx":
            out.write_bytes(outcome_xlsx(outcome))
        else:
            out.write_text(outcome_csv(outcome), encoding="utf-8")
    summary: dict[str, Any] = {"list_id": list_id, **{f"outcome {k}": v for k, v in outcome["counts"].items()}}
    if made is not None:
        summary.update({f"prospects {k}": made[k] for k in ("candidates", "added", "duplicates")})
        summary["prospects rejected"] = len(made["rejected"])
    _show(f"Outcome of list {list_id}", summary, as_json)


@app.command("labels")
def labels_command(out: Path = typer.Option(..., "--out", help="CSV of reviewed pairs (training labels).")) -> None:
    """Export every review verdict as labels: row fields, person fields, decision."""
    from jangkau.auth.principal import OPERATOR
    from jangkau.db.session import unit
    from jangkau.linkage.review import labels_csv

    with unit() as session:
        out.write_text(labels_csv(session, OPERATOR), encoding="utf-8")
    typer.echo(str(out))


@app.command("index")
def index_command(
    register: Path = typer.Option(..., "--register", help="Register file (Parquet/CSV)."),
    out: Path = typer.Option(..., "--out", help="Register index to write (Parquet)."),
    as_json: bool = JSON_OPT,
) -> None:
    """Normalise the register once into an index that `link run --register INDEX` reads (much faster)."""
    from jangkau.linkage.engine.register import index_register

    with progress(transient=True) as bar:
        bar.add_task("indexing the register", total=None)
        start = time.perf_counter()
        count = index_register(register, out)
    summary = {"register_rows": count, "index": str(out), "seconds": round(time.perf_counter() - start, 3)}
    _show("Register index", summary, as_json)


@app.command("dedupe")
def dedupe_command(
    list_path: Path = LIST_OPT,
    out: Path = OUT_OPT,
    mapping: Path | None = MAPPING_OPT,
    encoding: str | None = ENCODING_OPT,
    match_threshold: float = typer.Option(0.9, help="Rows at or above this probability join one cluster."),
    as_json: bool = JSON_OPT,
) -> None:
    """Find the rows of one list that are the same person: writes clusters.csv (row_id, cluster_id)."""
    from jangkau.linkage.service import dedupe_files

    options = LinkOptions(match_threshold=match_threshold, work_dir=out / "work")
    with progress(transient=True) as bar:
        bar.add_task("finding duplicates", total=None)
        summary = dedupe_files(list_path, out, options, _mapping(mapping, encoding))
    _show(f"Duplicates in {list_path.name}", summary, as_json)


@app.command("train")
def train_command(
    register: Path = typer.Option(..., "--register", help="Seeded synthetic register (Parquet/CSV)."),
    list_path: Path = LIST_OPT,
    out: Path = typer.Option(..., "--out", help="Model JSON to write."),
    truth: Path | None = typer.Option(None, "--truth", help="Truth Parquet (default: truth.parquet by the list)."),
    seed: int = typer.Option(42, help="Seed of the random sampling."),
    as_json: bool = JSON_OPT,
) -> None:
    """Retrain the model on seeded synthetic data (see `jangkau link synth`) and write its JSON."""
    from jangkau.linkage.engine.training import train_model

    with progress(transient=True) as bar:
        bar.add_task("training", total=None)
        model = train_model(register, list_path, out, truth, seed)
    summary = {"model": str(out), "comparisons": [c["output_column_name"] for c in model["comparisons"]]}
    _show("Model trained", summary, as_json)


@app.command("synth")
def synth_command(
    out: Path = typer.Option(..., "--out", help="Directory for register.parquet, list.*, truth.parquet."),
    register_rows: int = typer.Option(100_000, help="Persons in the register."),
    list_rows: int = typer.Option(10_000, help="Rows in the list."),
    seed: int = typer.Option(42, help="Seed: the same seed gives the same files."),
    csv: bool = typer.Option(False, "--csv", help="Write the list as CSV."),
    as_json: bool = JSON_OPT,
) -> None:
    """Generate a seeded synthetic register and list with realistic errors and the truth."""
    from jangkau.linkage.engine.synth import write_tier

    files = write_tier(out, register_rows, list_rows, seed, list_csv=csv)
    _show(
        "Synthetic data", {"register": str(files.register), "list": str(files.list), "truth": str(files.truth)}, as_json
    )
