"""What both list checks share: the schema of the kept rows, the sex codes and the village-code check.

The per-row checks (:mod:`jangkau.linkage.lists.validate`) and the whole-column path
(:mod:`jangkau.linkage.lists.plain_rows`) import it; it imports neither."""

from __future__ import annotations

from functools import lru_cache

import pyarrow as pa

from jangkau.errors import JangkauError
from jangkau.regions.codes import parse_region_code
from jangkau.registry.nik import Sex

_SEX = {
    **dict.fromkeys(("L", "LK", "LAKI-LAKI", "LAKI LAKI", "PRIA", "M", "MALE", "1"), Sex.MALE),
    **dict.fromkeys(("P", "PR", "PEREMPUAN", "WANITA", "F", "FEMALE", "W", "2"), Sex.FEMALE),
}

LIST_SCHEMA = pa.schema(
    [
        ("row_id", pa.string()),
        ("line", pa.int64()),
        ("nik", pa.string()),
        ("name", pa.string()),
        ("birth_date", pa.date32()),
        ("sex", pa.string()),
        ("village_code", pa.string()),
    ]
)


@lru_cache(maxsize=200_000)
def _village(text: str) -> str | None:
    try:
        return parse_region_code(text, "village_code").code
    except JangkauError:
        return None
