"""An uploaded list before its import: the proposed column mapping and the first rows as they would be read.

The officer uploads (the file is kept, nothing is imported), sees which column was taken for the NIK, the name, the
birth date, the sex and the village, and how the first rows read, corrects a column if needed and confirms; only
then is the import queued (with the confirmed mapping, saved on the source for its next version).
"""

from __future__ import annotations

import datetime as dt
import json
import re
import tempfile
from pathlib import Path
from typing import Any

from sqlalchemy.orm import Session

from jangkau.auth.principal import Principal
from jangkau.auth.roles import Permission
from jangkau.kit.masking import mask_nik
from jangkau.linkage import repository as repo
from jangkau.linkage.errors import MappingIncomplete, UploadNotFound
from jangkau.linkage.imports import area_villages, parse_mapping
from jangkau.linkage.lists.headers import IGNORE, header_key, is_known
from jangkau.linkage.lists.read import LIST_COLUMNS, REQUIRED_COLUMNS, ColumnMapping, ListSample, sample_list
from jangkau.linkage.lists.validate import REJECTED, check_row
from jangkau.linkage.lists.values import village_key
from jangkau.linkage.models import LinkageUpload
from jangkau.regions.service import region_names

TARGETS = (IGNORE, *LIST_COLUMNS)
SAMPLE_ROWS = 5
_LONG_NUMBER = re.compile(r"\d[\d .\-']{8,}\d")
_PRIVATE_HEADERS = ("alamat", "hp", "telp", "telepon", "wa", "email", "rekening", "kk")


def sample_shown(header: str, value: str) -> str:
    """A first value of a column as the preview shows it: numbers of 10 digits or more (NIK, phone) masked, and
    nothing of a column that holds an address, a phone or an account (what is needed to map it is its header)."""
    if any(word in header_key(header).split() for word in _PRIVATE_HEADERS):
        return ""
    return _LONG_NUMBER.sub(lambda m: _masked_digits(m.group(0)), value)


def _masked_digits(text: str) -> str:
    digits = re.sub(r"\D", "", text)
    if len(digits) < 10:  # a date (12-05-1980) stays readable
        return text
    return digits[:4] + "*" * (len(digits) - 6) + digits[-2:]


def pending_upload(session: Session, principal: Principal, upload_id: int) -> LinkageUpload:
    """The caller's own upload that is not imported yet.

    Raises:
        NotFound: no such upload, another person's, or already imported.
    """
    principal.require(Permission.LINKAGE_IMPORT)
    upload = session.get(LinkageUpload, upload_id)
    if upload is None or upload.user_id != principal.user_id or upload.content is None or upload.list_id is not None:
        raise UploadNotFound(upload_id)
    return upload


def sample_content(file_name: str, content: bytes, mapping: ColumnMapping | None) -> ListSample:
    """Read the header and first rows of an uploaded file (kept in a temporary file with its suffix).

    Raises:
        InvalidInput: the file is not a list that can be read (see :func:`~jangkau.linkage.lists.read.sample_list`).
    """
    suffix = Path(file_name or "list.csv").suffix.lower() or ".csv"
    with tempfile.TemporaryDirectory(prefix="jangkau-preview-") as tmp:
        path = Path(tmp) / f"upload{suffix}"
        path.write_bytes(content)
        return sample_list(path, mapping, SAMPLE_ROWS)


def _saved_mapping(session: Session, upload: LinkageUpload) -> ColumnMapping:
    explicit = parse_mapping(upload.mapping_json)
    if explicit is not None:
        return explicit
    source = repo.source_by_name(session, upload.source)
    return ColumnMapping.from_dict(json.loads(source.mapping_json or "{}")) if source else ColumnMapping()


def preview(
    session: Session, principal: Principal, upload_id: int, chosen: dict[str, str] | None = None
) -> dict[str, Any]:
    """What the preview page shows: each source column with the column proposed (or chosen) and sample values,
    the required columns still missing, and the first rows as the import would read them.

    Args:
        chosen: source header -> our column as the officer chose it (``None``: the saved or proposed mapping).

    Raises:
        NotFound: see :func:`pending_upload`.
        InvalidInput: the file cannot be read as a list.
    """
    upload = pending_upload(session, principal, upload_id)
    mapping = ColumnMapping(chosen) if chosen is not None else _saved_mapping(session, upload)
    sample = sample_content(upload.file_name, upload.content or b"", mapping)
    targets = {h: chosen.get(h, IGNORE) for h in sample.header} if chosen is not None else sample.proposed
    columns = [
        {"index": i, "header": h, "target": targets.get(h, IGNORE), "known": is_known(h),
         "samples": [s for row in sample.rows[:3] if i < len(row) and (s := sample_shown(h, row[i]))]}
        for i, h in enumerate(sample.header)
    ]  # fmt: skip
    chosen_targets = [c["target"] for c in columns if c["target"]]
    return {
        "upload": upload, "columns": columns, "n_rows": sample.n_rows, "notes": sample.notes,
        "missing": [t for t in REQUIRED_COLUMNS if t not in chosen_targets],
        "doubled": sorted({t for t in chosen_targets if chosen_targets.count(t) > 1}),
        "rows": _rows(session, principal, sample, columns),
    }  # fmt: skip


def _rows(
    session: Session, principal: Principal, sample: ListSample, columns: list[dict[str, Any]]
) -> list[dict[str, Any]]:
    position = {c["target"]: c["index"] for c in reversed(columns) if c["target"]}
    villages = area_villages(session, principal)
    today = dt.date.today()
    rows: list[dict[str, Any]] = []
    for n, row in enumerate(sample.rows):
        cell = {t: (row[position[t]] if t in position and position[t] < len(row) else "") for t in LIST_COLUMNS}
        village = cell["village_code"]
        village = villages.get(village_key(village), village) if village else village
        clean, issues = check_row((cell["nik"], cell["name"], cell["birth_date"], cell["sex"], village), today)
        nik, name, born, sex, code = clean or (None, None, None, None, None)
        rejected = next((i.reason for i in issues if i.severity == REJECTED), None)
        rows.append({
            "line": n + 2, "nik": mask_nik(str(nik)) if nik else "", "name": name, "birth_date": born, "sex": sex,
            "code": str(code) if code else "", "rejected": rejected,
            "problems": [(i.field, i.reason) for i in issues if i.severity != REJECTED],
        })  # fmt: skip
    names = region_names(session, {r["code"] for r in rows})
    for r in rows:
        r["village"] = names.get(r["code"], r["code"])
    return rows


def check_choice(chosen: dict[str, str]) -> None:
    """Refuse a mapping without a required column, or with one of ours chosen for two source columns.

    Raises:
        MappingIncomplete: with the columns missing and those chosen twice.
    """
    targets = [t for t in chosen.values() if t]
    missing = [t for t in REQUIRED_COLUMNS if t not in targets]
    doubled = sorted({t for t in targets if targets.count(t) > 1})
    if missing or doubled:
        raise MappingIncomplete(missing, doubled)


def confirm(session: Session, principal: Principal, upload_id: int, chosen: dict[str, str]) -> LinkageUpload:
    """Save the confirmed mapping on the upload (the import task reads it, and saves it on the source).

    Raises:
        NotFound: see :func:`pending_upload`.
        MappingIncomplete: a required column is not chosen, or one of ours is chosen for two source columns.
    """
    upload = pending_upload(session, principal, upload_id)
    check_choice(chosen)
    upload.mapping_json = json.dumps(ColumnMapping(dict(chosen)).as_dict())
    session.flush()
    return upload
