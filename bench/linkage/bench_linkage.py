"""Benchmark: our linkage engine beside an exact-NIK join and a plain Splink setup, on seeded data.

Run: ``.venv/bin/python bench/linkage/bench_linkage.py --tier ci|100k|1m|10m|50m``

Each approach runs in its own subprocess so that its peak RSS is its own.  Output: one JSON line per figure
on standard output and appended to ``bench/out/linkage.jsonl``; the seeded data is cached in
``bench/out/linkage/data/<tier>/``.
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
OUT = ROOT / "bench" / "out"
WORK = OUT / "linkage"  # seeded data and spill files of this benchmark only
# tier: (register persons, list rows)
TIERS = {
    "ci": (20_000, 2_000),
    "100k": (100_000, 10_000),
    "1m": (1_000_000, 50_000),
    "10m": (10_000_000, 500_000),
    "50m": (50_000_000, 500_000),
}
APPROACHES = ("exact_nik", "jangkau", "jangkau_index", "plain_splink")  # default set; also: jangkau_spark
PLAIN_SPLINK_MAX_PAIRS = 30_000_000
SEED = 20261121


def data_dir(tier: str) -> Path:
    return WORK / "data" / tier


def ensure_data(tier: str) -> dict[str, Any]:
    """Generate the tier's seeded data once; return the generation time (0 when cached)."""
    from jangkau.linkage.engine.synth import write_tier

    folder = data_dir(tier)
    if (folder / "truth.parquet").is_file():
        return {"generate_s": 0.0, "cached": True}
    n_register, n_list = TIERS[tier]
    start = time.perf_counter()
    write_tier(folder, n_register, n_list, SEED, on_disk=n_register > 5_000_000)
    return {"generate_s": round(time.perf_counter() - start, 2), "cached": False}


def evaluate(links: Any, truth_path: Path) -> dict[str, float]:
    """Precision, recall and F1 of the best link per list row (``decision == 'match'``; review counts as no)."""
    import duckdb

    con = duckdb.connect()
    con.register("links", links)
    tp, fp, positives, reviewed = con.sql(f"""
        SELECT count(*) FILTER (WHERE l.decision = 'match' AND l.person_id = CAST(t.true_person_id AS VARCHAR)),
               count(*) FILTER (WHERE l.decision = 'match'
                                AND l.person_id IS DISTINCT FROM CAST(t.true_person_id AS VARCHAR)),
               count(*) FILTER (WHERE t.true_person_id IS NOT NULL),
               count(*) FILTER (WHERE l.decision = 'review')
        FROM read_parquet('{truth_path}') t LEFT JOIN links l USING (row_id)
    """).fetchall()[0]
    precision = tp / (tp + fp) if tp + fp else 0.0
    recall = tp / positives if positives else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {"precision": round(precision, 5), "recall": round(recall, 5), "f1": round(f1, 5),
            "true_positives": tp, "false_positives": fp, "review": reviewed}  # fmt: skip


def run_exact_nik(folder: Path) -> dict[str, Any]:
    """Baseline: join list and register on the NIK as written."""
    import duckdb

    con = duckdb.connect()
    con.sql("SET enable_progress_bar = false")
    start = time.perf_counter()
    links = con.sql(f"""
        SELECT l.row_id, CAST(min(r.person_id) AS VARCHAR) AS person_id, 1.0 AS match_probability,
               CASE WHEN min(r.person_id) IS NULL THEN 'no_match' ELSE 'match' END AS decision
        FROM read_parquet('{folder / "list.parquet"}') l
        LEFT JOIN read_parquet('{folder / "register.parquet"}') r ON r.nik = replace(l.nik, ' ', '')
        GROUP BY l.row_id
    """).to_arrow_table()
    seconds = round(time.perf_counter() - start, 3)
    return {"timings_s": {"total": seconds}, "candidate_pairs": links.num_rows, "links": links}


def run_jangkau(folder: Path, tier: str, use_index: bool = False, engine: str = "duckdb") -> dict[str, Any]:
    """Our engine, as `jangkau link run` runs it; with ``use_index`` on a register index built first (timed);
    with ``engine="spark"`` the pairs are scored on Spark in local mode (``--engine spark``; the JVM's start is in
    the predict phase and its peak RSS is reported apart, as ``peak_rss_jvm``)."""
    from jangkau.linkage.engine.link import link_list
    from jangkau.linkage.engine.options import LinkOptions
    from jangkau.linkage.engine.register import index_register
    from jangkau.linkage.lists.validate import load_list

    big = TIERS[tier][0] > 20_000_000
    options = LinkOptions(
        work_dir=WORK / "work" / tier,
        materialisation="parquet" if big else "table",
        memory_limit="6GB" if big else None,
        num_chunks=4 if big else 1,
        engine=engine,
        spark_master="local[*]",
        spark_driver_memory="6g",
    )
    register = folder / "register.parquet"
    index_s = {}
    if use_index:
        start = time.perf_counter()
        register = WORK / "work" / tier / "register_index.parquet"
        index_register(folder / "register.parquet", register, options)
        index_s = {"index_register_once": round(time.perf_counter() - start, 3)}
    start = time.perf_counter()
    validated = load_list(folder / "list.parquet")
    read_s = round(time.perf_counter() - start, 3)
    result = link_list(validated, register, options)
    timings = {**index_s, "read_list": read_s, **result.summary["timings_s"]}
    timings["total"] = round(time.perf_counter() - start, 3)
    extra = {k: result.summary[k] for k in ("register_rows_after_prefilter", "decisions")}
    return {"timings_s": timings, "candidate_pairs": result.summary["candidate_pairs"], "links": result.links, **extra}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--tier", choices=sorted(TIERS), default="ci")
    parser.add_argument("--approaches", default=",".join(APPROACHES))
    parser.add_argument("--child", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args.tier, args.child)
        return
    OUT.mkdir(parents=True, exist_ok=True)
    generation = ensure_data(args.tier)
    emit(args.tier, "data", "generate_s", generation["generate_s"], "s", cached=generation["cached"])
    for approach in args.approaches.split(","):
        proc = subprocess.run(
            [sys.executable, __file__, "--tier", args.tier, "--child", approach],
            capture_output=True, text=True, check=False,
        )  # fmt: skip
        if proc.returncode != 0:
            emit(args.tier, approach, "error", proc.stderr.strip().splitlines()[-1:], "")
            continue
        report(args.tier, approach, json.loads(proc.stdout.strip().splitlines()[-1]))


def child(tier: str, approach: str) -> None:
    """Run one approach and print its figures as one JSON object (last line of standard output)."""
    from plain_splink import run_plain_splink

    folder = data_dir(tier)
    watcher = ChildPeak()
    runners = {
        "exact_nik": lambda: run_exact_nik(folder),
        "jangkau": lambda: run_jangkau(folder, tier),
        "jangkau_index": lambda: run_jangkau(folder, tier, use_index=True),
        "jangkau_spark": lambda: run_jangkau(folder, tier, engine="spark"),
        "plain_splink": lambda: run_plain_splink(folder, PLAIN_SPLINK_MAX_PAIRS),
    }
    result = runners[approach]()
    links = result.pop("links", None)
    if links is not None:
        result["quality"] = evaluate(links, folder / "truth.parquet")
    result["peak_rss_mb"] = peak_rss_mb()
    if approach == "jangkau_spark":  # the JVM is a child process: its own high-water mark, sampled while it ran
        result["peak_rss_jvm_mb"] = round(watcher.stop() / 1024, 1)
    sys.stdout.write(json.dumps(result) + "\n")


class ChildPeak:
    """The largest peak RSS (``VmHWM``) of any descendant process, read from /proc every half second (Linux)."""

    def __init__(self) -> None:
        import threading

        self.peak_kb = 0
        self._done = threading.Event()
        self._thread = threading.Thread(target=self._watch, daemon=True)
        self._thread.start()

    def _descendants(self, pid: int) -> list[int]:
        found: list[int] = []
        for children in Path(f"/proc/{pid}/task").glob("*/children"):
            try:
                kids = [int(x) for x in children.read_text().split()]
            except OSError:
                continue
            for kid in kids:
                found += [kid, *self._descendants(kid)]
        return found

    def _watch(self) -> None:
        import os

        while not self._done.wait(0.5):
            for pid in self._descendants(os.getpid()):
                try:
                    status = Path(f"/proc/{pid}/status").read_text()
                except OSError:
                    continue
                for line in status.splitlines():
                    if line.startswith("VmHWM:"):
                        self.peak_kb = max(self.peak_kb, int(line.split()[1]))

    def stop(self) -> int:
        self._done.set()
        self._thread.join()
        return self.peak_kb


def peak_rss_mb() -> float:
    """This process's peak RSS since its ``exec``: ``VmHWM`` belongs to the new address space, whereas
    ``ru_maxrss`` survives ``exec`` and so reports the parent's peak when that was higher (the 50m parent holds
    ~7 GB after generating the data in-process)."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return round(int(line.split()[1]) / 1024, 1)
    except OSError:
        pass
    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)


def report(tier: str, approach: str, result: dict[str, Any]) -> None:
    if result.get("skipped"):
        emit(tier, approach, "skipped", result["skipped"], "", candidate_pairs=result.get("candidate_pairs"))
        return
    for phase, seconds in result["timings_s"].items():
        emit(tier, approach, "wall_s", seconds, "s", phase=phase)
    pairs = result.get("candidate_pairs", 0)
    emit(tier, approach, "candidate_pairs", pairs, "pairs")
    predict_s = result["timings_s"].get("predict") or result["timings_s"]["total"]
    emit(tier, approach, "pairs_per_s", round(pairs / predict_s) if predict_s else None, "pairs/s")
    emit(tier, approach, "peak_rss", result["peak_rss_mb"], "MB")
    if "peak_rss_jvm_mb" in result:
        emit(tier, approach, "peak_rss_jvm", result["peak_rss_jvm_mb"], "MB")
    for name, value in result.get("quality", {}).items():
        emit(tier, approach, name, value, "")
    for name in ("register_rows_after_prefilter", "decisions"):
        if name in result:
            emit(tier, approach, name, result[name], "")


def emit(tier: str, approach: str, figure: str, value: Any, unit: str, **extra: Any) -> None:
    line = json.dumps({"bench": "linkage", "tier": tier, "approach": approach, "figure": figure, "value": value,
                       "unit": unit, **extra})  # fmt: skip
    sys.stdout.write(line + "\n")
    sys.stdout.flush()
    with (OUT / "linkage.jsonl").open("a", encoding="utf-8") as handle:
        handle.write(line + "\n")


if __name__ == "__main__":
    sys.path.insert(0, str(Path(__file__).parent))
    main()
