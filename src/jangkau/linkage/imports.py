"""Import an outside list into the database: a new version of a named source, every row checked and kept.

One import is one transaction: the file is read and checked completely (:func:`load_list`) before anything
is written, so a broken file is reported and nothing of it is stored; a list that fails half-way through
the inserts is rolled back by the unit of work.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from contextlib import AbstractContextManager
from pathlib import Path
from typing import Any

from sqlalchemy.orm import Session

from jangkau.auth import audit
from jangkau.auth.principal import OPERATOR, Principal
from jangkau.auth.roles import Permission
from jangkau.errors import InvalidInput
from jangkau.linkage import repository as repo
from jangkau.linkage.errors import (
    EmptyFile,
    ListNotFound,
    MappingNotJson,
    NeedsSignedInUser,
    SourceNameInvalid,
    UploadNotFound,
)
from jangkau.linkage.lists.columns import LIST_SCHEMA
from jangkau.linkage.lists.read import ColumnMapping
from jangkau.linkage.lists.validate import REJECTED, ValidatedList, load_list
from jangkau.linkage.lists.values import village_key
from jangkau.linkage.models import LinkageList, LinkageSource, LinkageUpload
from jangkau.regions.service import village_codes_by_name

MAX_ID = 200
Units = Callable[[], AbstractContextManager[Session]]


def list_area(scope: tuple[str, ...]) -> str:
    """The region a list belongs to: the caller's scope, or the prefix its parts share (``""`` = everywhere)."""
    if not scope or "" in scope:
        return ""
    parts = [p.split(".") for p in scope]
    common: list[str] = []
    for level in zip(*parts, strict=False):
        if len(set(level)) != 1:
            break
        common.append(level[0])
    return ".".join(common)


def _source(session: Session, name: str, mapping: ColumnMapping | None) -> tuple[LinkageSource, ColumnMapping]:
    name = " ".join(name.split())
    if not name or len(name) > 120:
        raise SourceNameInvalid
    source = repo.source_by_name(session, name)
    if source is None:
        source = LinkageSource(name=name, mapping_json=json.dumps((mapping or ColumnMapping()).as_dict()))
        repo.add(session, source)
    elif mapping is not None:
        source.mapping_json = json.dumps(mapping.as_dict())
    return source, mapping or ColumnMapping.from_dict(json.loads(source.mapping_json or "{}"))


def _row_dicts(list_id: int, validated: ValidatedList) -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = [
        {"list_id": list_id, "line": r["line"], "row_id": r["row_id"][:MAX_ID], "status": "kept", "nik": r["nik"],
         "name": (r["name"] or "")[:150] or None, "birth_date": r["birth_date"], "sex": r["sex"],
         "village_code": r["village_code"], "reason": None, "raw_json": None}
        for r in validated.table.to_pylist()
    ]  # fmt: skip
    for r in validated.rejected_rows:
        raw = {k: v for k, v in r.items() if k not in ("line", "row_id", "reason")}
        blank = dict.fromkeys(("nik", "name", "birth_date", "sex", "village_code"))
        rows.append({"list_id": list_id, "line": int(r["line"]), "row_id": str(r["row_id"])[:MAX_ID],
                     "status": REJECTED, **blank, "reason": r["reason"],
                     "raw_json": json.dumps(raw, ensure_ascii=False)})  # fmt: skip
    return rows


def import_list(
    session: Session,
    principal: Principal,
    path: Path,
    source_name: str,
    mapping: ColumnMapping | None = None,
    file_name: str | None = None,
) -> dict[str, Any]:
    """Import a list file as the next version of ``source_name`` (created on first use).

    Args:
        session: the caller's transaction (the import is kept only when it commits).
        principal: who uploads; the list belongs to their area.
        path: the CSV, XLSX or Parquet file.
        source_name: the named source, e.g. ``"Kepling"``.
        mapping: the column mapping; saved on the source.  ``None`` uses the source's saved mapping.
        file_name: the name to record (an upload's original name); defaults to the path's name.

    Returns:
        The list's summary: id, source, version, rows read, kept, rejected and warnings.

    Raises:
        InvalidInput: the file cannot be read as a list (encoding, missing column, merged header, empty,
            every NIK invalid, every row rejected); nothing is stored.
    """
    principal.require(Permission.LINKAGE_IMPORT)
    source, used_mapping = _source(session, source_name, mapping)
    validated = load_list(path, used_mapping, area_villages(session, principal))
    return _store_list(session, principal, source, validated, file_name or path.name)


def _store_list(
    session: Session, principal: Principal, source: LinkageSource, validated: ValidatedList, file_name: str
) -> dict[str, Any]:
    listing = LinkageList(
        source_id=source.id, version=repo.next_version(session, source.id), file_name=file_name[:255],
        scope_code=list_area(principal.scope), uploaded_by_user_id=principal.user_id, uploaded_by=principal.username,
        status="imported", rows_read=validated.n_read, rows_kept=validated.table.num_rows,
        rows_rejected=validated.n_rejected, warnings=validated.n_warnings,
    )  # fmt: skip
    repo.add(session, listing)
    repo.insert_rows(session, _row_dicts(listing.id, validated))
    repo.insert_issues(session, [
        {"list_id": listing.id, "line": i.line, "row_id": i.row_id[:MAX_ID], "severity": i.severity,
         "field": i.field[:20], "reason": i.reason} for i in validated.issues
    ])  # fmt: skip
    summary = list_summary(listing, source)
    audit.record(session, principal, "import", "linkage_list", listing.id, region_code=listing.scope_code or None,
                 after=summary)  # fmt: skip
    return summary


def area_villages(session: Session, principal: Principal) -> dict[str, str]:
    """The villages of the uploader's area by name: a list naming its villages ("Kelurahan") is linked by area."""
    return village_codes_by_name(session, principal.scope, village_key)


def list_summary(listing: LinkageList, source: LinkageSource) -> dict[str, Any]:
    """What a person sees first about a list."""
    return {
        "list_id": listing.id, "source": source.name, "version": listing.version, "file_name": listing.file_name,
        "uploaded_by": listing.uploaded_by, "uploaded_at": listing.created_at, "status": listing.status,
        "area": listing.scope_code, "rows_read": listing.rows_read, "rows_kept": listing.rows_kept,
        "rows_rejected": listing.rows_rejected, "warnings": listing.warnings, "linked_at": listing.linked_at,
        "linked_by": listing.linked_by,
    }  # fmt: skip


def visible_list(session: Session, principal: Principal, list_id: int) -> tuple[LinkageList, LinkageSource]:
    """A list the caller may see.

    Raises:
        NotFound: no such list, or it lies outside the caller's area.
    """
    found = repo.get_list(session, list_id)
    if found is None or not _overlaps(found[0].scope_code, principal.scope):
        raise ListNotFound(list_id)
    return found


def _overlaps(area: str, scope: tuple[str, ...]) -> bool:
    return any(p == "" or area == "" or area == p or area.startswith(p + ".") or p.startswith(area + ".")
               for p in scope)  # fmt: skip


def stored_validated(session: Session, listing: LinkageList) -> ValidatedList:
    """A stored list as :func:`load_list` returned it at import (kept rows, issues, rejected rows)."""
    import pyarrow as pa

    from jangkau.linkage.lists.validate import Issue

    kept = repo.kept_rows(session, listing.id)
    columns = {
        "row_id": [r.row_id for r in kept], "line": [r.line for r in kept], "nik": [r.nik for r in kept],
        "name": [r.name for r in kept], "birth_date": [r.birth_date for r in kept], "sex": [r.sex for r in kept],
        "village_code": [r.village_code for r in kept],
    }  # fmt: skip
    table = pa.Table.from_pydict(columns, schema=LIST_SCHEMA)
    issues = [Issue(i.line, i.row_id, i.severity, i.field, i.reason)
              for i in repo.issues(session, listing.id, limit=10_000_000)]  # fmt: skip
    rejected = [{"line": str(r.line), "row_id": r.row_id, "reason": r.reason or "", **json.loads(r.raw_json or "{}")}
                for r in repo.rejected_rows(session, listing.id, listing.scope_code, ("",))]  # fmt: skip
    return ValidatedList(table, issues, rejected, listing.rows_read)


def import_upload(
    session: Session, principal: Principal, file_name: str, content: bytes, source_name: str, mapping_json: str = ""
) -> dict[str, Any]:
    """Import an uploaded file (kept in a temporary file with its suffix so the reader knows the format).

    Raises:
        InvalidInput: the mapping is not JSON, or the file cannot be used (nothing is stored).
    """
    import tempfile

    mapping = parse_mapping(mapping_json)
    suffix = Path(file_name or "list.csv").suffix.lower() or ".csv"
    with tempfile.TemporaryDirectory(prefix="jangkau-linkage-") as tmp:
        path = Path(tmp) / f"upload{suffix}"
        path.write_bytes(content)
        return import_list(session, principal, path, source_name, mapping, Path(file_name).name or path.name)


def parse_mapping(mapping_json: str) -> ColumnMapping | None:
    """The column mapping sent with an upload (JSON), or None: use the source's saved one.

    Raises:
        InvalidInput: not a JSON column mapping.
    """
    try:
        return ColumnMapping.from_dict(json.loads(mapping_json)) if mapping_json.strip() else None
    except (ValueError, AttributeError) as exc:
        raise MappingNotJson(str(exc)) from exc


# --- uploads imported by a worker ------------------------------------------------------------------------------


def store_upload(
    session: Session, principal: Principal, file_name: str, content: bytes, source_name: str, mapping_json: str,
    *, link: bool,
) -> LinkageUpload:  # fmt: skip
    """Keep an uploaded file for the worker that imports it; what can be checked without reading it is checked now.

    Raises:
        InvalidInput: no source name, a mapping that is not JSON, an empty file, or no signed-in user.
    """
    principal.require(Permission.LINKAGE_IMPORT)
    name = " ".join(source_name.split())
    if not name or len(name) > 120:
        raise SourceNameInvalid
    parse_mapping(mapping_json)
    if not content:
        raise EmptyFile
    if principal.user_id is None and principal != OPERATOR:
        raise NeedsSignedInUser(run=False)
    upload = LinkageUpload(
        user_id=principal.user_id, source=name, mapping_json=mapping_json, file_name=(file_name or "list.csv")[:255],
        sha256=hashlib.sha256(content).hexdigest(), size=len(content), link=link, content=content,
    )  # fmt: skip
    repo.add(session, upload)
    return upload


def import_stored(units: Units, principal: Principal, upload_id: int) -> int:
    """Import a stored upload (a worker's part): read and check the file outside any transaction, then store the
    rows in one. Returns the list's id; an upload already imported (a rerun after a crash) is not imported again.

    Raises:
        NotFound: no such upload.
        InvalidInput: the file cannot be used; the upload's content is dropped and the reason kept.
    """
    import tempfile

    with units() as session:
        upload = _upload(session, upload_id)
        if upload.list_id is not None:
            return upload.list_id
        content, name, source_name = upload.content or b"", upload.file_name, upload.source
        villages = area_villages(session, principal)
        mapping = parse_mapping(upload.mapping_json)
        if mapping is None:
            saved = repo.source_by_name(session, source_name)
            mapping = ColumnMapping.from_dict(json.loads(saved.mapping_json or "{}")) if saved else ColumnMapping()
            explicit = None
        else:
            explicit = mapping
    try:
        with tempfile.TemporaryDirectory(prefix="jangkau-linkage-") as tmp:
            path = Path(tmp) / f"upload{Path(name).suffix.lower() or '.csv'}"
            path.write_bytes(content)
            del content
            validated = load_list(path, mapping, villages)
    except InvalidInput as exc:
        with units() as session:
            upload = _upload(session, upload_id)
            upload.content, upload.error = None, f"{exc.message} / {exc.message_id}"
        raise
    with units() as session:
        upload = _upload(session, upload_id, lock=True)
        if upload.list_id is not None:  # another worker got there first
            return upload.list_id
        source, _ = _source(session, source_name, explicit)
        summary = _store_list(session, principal, source, validated, Path(name).name or "list.csv")
        upload.list_id, upload.content = int(summary["list_id"]), None
        session.flush()
        return upload.list_id


def _upload(session: Session, upload_id: int, *, lock: bool = False) -> LinkageUpload:
    upload = session.get(LinkageUpload, upload_id, with_for_update=lock)
    if upload is None:
        raise UploadNotFound(upload_id)
    return upload
