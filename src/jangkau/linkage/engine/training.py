"""Train the model once on seeded synthetic data and write the JSON shipped in the package.

u-values (how often random pairs agree) come from random sampling of register pairs; m-values (how often
true matches agree) from the known truth of the synthetic list (``true_entity_id``), which is exact rather
than an EM estimate.  The NIK u-values are then set by hand (SCALE-NOTES §1.5 (2)).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import duckdb

from jangkau.linkage.engine import model as linkage_model
from jangkau.linkage.engine.link import load_list_table
from jangkau.linkage.engine.normalise import prepare_table
from jangkau.linkage.engine.options import LinkOptions, connect
from jangkau.linkage.engine.register import load_register
from jangkau.linkage.errors import TruthMissing
from jangkau.linkage.lists.validate import load_list


def _truth(con: duckdb.DuckDBPyConnection, truth_path: Path) -> None:
    if not truth_path.is_file():
        raise TruthMissing(truth_path)
    con.sql(f"CREATE OR REPLACE TABLE truth AS SELECT CAST(row_id AS VARCHAR) AS row_id, "
            f"CAST(true_entity_id AS VARCHAR) AS true_entity_id FROM read_parquet('{truth_path}')")  # fmt: skip


UNSEEN_M = 0.002


def _floor_unseen_m(model: dict[str, Any]) -> dict[str, Any]:
    """Give a small m to levels no true match reached in the synthetic data (e.g. sex disagrees).

    Real lists do have such errors; an m of zero or none would make that level veto a match outright.
    """
    for comparison in model["comparisons"]:
        for level in comparison["comparison_levels"]:
            if not level.get("is_null_level") and not level.get("m_probability"):
                level["m_probability"] = UNSEEN_M
    return model


def train_model(
    register_path: Path, list_path: Path, out: Path, truth_path: Path | None = None, seed: int = 42
) -> dict[str, Any]:
    """Train on a seeded register and list with known truth, and write the model JSON.

    Args:
        register_path: the synthetic register (Parquet/CSV).
        list_path: the synthetic list (its truth in ``truth.parquet`` beside it unless ``truth_path`` is given).
        out: where to write the model JSON.
        truth_path: Parquet with ``row_id, true_entity_id``.
        seed: seed of the random sampling of u.

    Returns:
        The model as a dict (also written to ``out``).
    """
    from splink import DuckDBAPI, Linker

    con = connect(LinkOptions())
    _truth(con, truth_path or list_path.parent / "truth.parquet")
    load_register(con, register_path)
    load_list_table(con, load_list(list_path))
    prepare_table(con, "register_raw", "person_id", "reg_prep")
    prepare_table(con, "list_raw", "row_id", "list_prep")
    con.sql("CREATE OR REPLACE TABLE reg_train AS SELECT *, 'P' || unique_id AS true_entity_id FROM reg_prep")
    con.sql("CREATE OR REPLACE TABLE list_train AS SELECT l.*, t.true_entity_id FROM list_prep l "
            "JOIN truth t ON t.row_id = l.unique_id")  # fmt: skip
    api = DuckDBAPI(connection=con)
    linker = Linker(
        [
            api.register("list_train", dataset_display_name="list"),
            api.register("reg_train", dataset_display_name="register"),
        ],
        linkage_model.settings(),
        log_level=None,
    )
    linker.training.estimate_u_using_random_sampling(max_pairs=5e6, seed=seed)
    linker.training.estimate_m_from_label_column("true_entity_id")
    trained: dict[str, Any] = linker.misc.save_model_to_json()
    trained = linkage_model.set_nik_u(_floor_unseen_m(trained))
    n_reg = con.sql("SELECT count(*) FROM reg_train").fetchall()[0][0]
    trained["probability_two_random_records_match"] = 0.8 / max(n_reg, 1)
    trained.pop("linker_uid", None)
    con.close()
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(trained, indent=2, sort_keys=True) + "\n", encoding="utf-8")
    return trained
