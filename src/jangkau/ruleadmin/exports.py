"""One rule table as CSV: every version in force for this process (shipped and active), its dates and citation."""

from __future__ import annotations

import csv
import io
import json

from jangkau.rules.tables import table


def table_csv(rule_id: str) -> str:
    """``rule_id, version, valid_from, valid_to, status, citation, source, data`` per version (data as JSON).

    Raises:
        RuleDataError: no such table.
    """
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["rule_id", "version", "valid_from", "valid_to", "status", "citation", "source", "data"])
    for v in table(rule_id).versions:
        writer.writerow(
            [
                v.id,
                v.version,
                v.valid_from.isoformat(),
                v.valid_to.isoformat() if v.valid_to else "",
                v.status.value,
                v.citation,
                v.source,
                json.dumps(dict(v.data), sort_keys=True, default=str),
            ]
        )
    return out.getvalue()
