"""Duplicates within one list: the same person written twice (clusters of rows)."""

from __future__ import annotations

import duckdb
import pyarrow as pa

from jangkau.linkage.engine.link import LinkResult, Timings, load_list_table, score_pairs
from jangkau.linkage.engine.normalise import prepare_table
from jangkau.linkage.engine.options import LinkOptions, connect
from jangkau.linkage.lists.validate import ValidatedList


def dedupe_list(
    validated: ValidatedList, options: LinkOptions | None = None, expected_duplicates: float = 0.05
) -> LinkResult:
    """Find rows of one list that are the same person: ``row_id, cluster_id`` for every kept row.

    Args:
        validated: the list.
        options: thresholds (``match_threshold`` joins two rows into a cluster) and resources.
        expected_duplicates: share of rows expected to have a duplicate; sets the model's prior.

    Returns:
        ``links`` with ``row_id, cluster_id`` (the smallest row_id of the cluster) and a summary.
    """
    options = options or LinkOptions()
    timings = Timings()
    con = connect(options)
    try:
        with timings.phase("normalise"):
            load_list_table(con, validated)
            prepare_table(con, "list_raw", "row_id", "list_prep")
        with timings.phase("predict"):
            n = validated.table.num_rows
            pairs = score_pairs(con, options, "list_prep", None, expected_duplicates / max(n, 1))
        with timings.phase("cluster"):
            clusters = _connected_components(con, pairs, options.match_threshold)
    finally:
        con.close()
    n_clusters = len(set(clusters.column("cluster_id").to_pylist()))
    summary = {"list_rows": clusters.num_rows, "clusters": n_clusters, "timings_s": timings.seconds}
    return LinkResult(clusters, summary)


def _connected_components(con: duckdb.DuckDBPyConnection, pairs: str, threshold: float) -> pa.Table:
    """Clusters as connected components of the pairs at or above ``threshold`` (label propagation in SQL)."""
    con.sql(f"CREATE OR REPLACE TABLE edges AS SELECT id_l AS a, id_r AS b FROM {pairs} "
            f"WHERE match_probability >= {threshold} UNION ALL SELECT id_r, id_l FROM {pairs} "
            f"WHERE match_probability >= {threshold}")  # fmt: skip
    con.sql("CREATE OR REPLACE TABLE labels AS SELECT unique_id AS node, unique_id AS label FROM list_prep")
    while True:
        con.sql("""CREATE OR REPLACE TABLE labels_next AS
                   SELECT l.node, least(l.label, coalesce(min(n.label), l.label)) AS label
                   FROM labels l LEFT JOIN edges e ON e.a = l.node LEFT JOIN labels n ON n.node = e.b
                   GROUP BY l.node, l.label""")  # fmt: skip
        changed = con.sql("SELECT count(*) FROM labels_next x JOIN labels l USING (node) "
                          "WHERE x.label <> l.label").fetchall()[0][0]  # fmt: skip
        con.sql("CREATE OR REPLACE TABLE labels AS SELECT * FROM labels_next")
        if not changed:
            break
    return con.sql("SELECT node AS row_id, label AS cluster_id FROM labels ORDER BY node").to_arrow_table()
