"""``jangkau regions``: load and inspect the Kemendagri region tree."""

from __future__ import annotations

import typer

from jangkau.clikit import console, emit_json, key_values, progress, table
from jangkau.db.session import unit
from jangkau.regions import repository as repo
from jangkau.regions.service import load_region_tree, region_stats, show_region

app = typer.Typer(help="The region tree: provinces, regencies/cities, districts, villages.", no_args_is_help=True)

JSON = typer.Option(False, "--json", help="Print JSON.")


@app.command("load")
def load_command(
    if_empty: bool = typer.Option(False, "--if-empty", help="Do nothing when the tree is already loaded."),
) -> None:
    """Load (or refresh) all of Indonesia's regions from the shipped data."""
    with unit() as session:
        if if_empty and not repo.is_empty(session):
            console.print("Region tree already loaded.")
            return
        with progress() as bar:
            task = bar.add_task("Loading regions", total=None)

            def advance(done: int, total: int) -> None:
                bar.update(task, completed=done, total=total)

            result = load_region_tree(session, on_progress=advance)
    console.print(
        f"Loaded {result.inserted} regions, updated {result.updated} "
        f"from {result.source} {result.version} ({result.decree})."
    )


@app.command("stats")
def stats_command(as_json: bool = JSON) -> None:
    """Counts per level (province, regency, district, village)."""
    with unit() as session:
        stats = region_stats(session)
    if as_json:
        emit_json(stats)
        return
    counts = stats["counts"]
    assert isinstance(counts, dict)
    key_values("Regions", {**counts, "source": stats["source"]})


@app.command("show")
def show_command(code: str = typer.Argument(..., help="Region code, e.g. 12.71"), as_json: bool = JSON) -> None:
    """A region with its parent and children."""
    with unit() as session:
        region = show_region(session, code)
    if as_json:
        emit_json(region)
        return
    key_values(f"{region['code']} {region['name']}", {k: region[k] for k in ("level", "kind", "parent")})
    children = region["children"]
    assert isinstance(children, list)
    table("Children", ["code", "name", "kind"], [(c["code"], c["name"], c["kind"]) for c in children])
