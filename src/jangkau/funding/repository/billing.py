"""The SQL of the monthly billing run: set-based INSERT ... SELECT, one statement per step, no loop per member.

Part of the funding repository (kept apart because it is long). Amounts come from tariffs computed by the rules
engine (``jangkau.funding.rules.tariffs``) and handed in as ``VALUES`` tables, so the database only multiplies and adds:

- PU: per membership, per programme held, ``(base x rate_bp100 + 500,000) // 1,000,000`` for the employer and the
  worker share: half up to the Rupiah, as ``rules.pu`` rounds; the JP base is capped at the month's cap.
- BPU: the monthly amount of the (declared income, programmes) pair for each prepaid month.
- Sponsor: the monthly amount of the programme's package, one line per enrolled worker.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import (
    BigInteger,
    Column,
    CompoundSelect,
    Date,
    Integer,
    MetaData,
    Select,
    String,
    Table,
    and_,
    case,
    cast,
    column,
    delete,
    exists,
    func,
    insert,
    literal,
    or_,
    select,
    text,
    union_all,
    values,
)
from sqlalchemy.orm import Session, aliased
from sqlalchemy.sql.expression import ColumnElement

from jangkau.funding.models import Bill, BillLine, MembershipPayer, Payer, Programme, Sponsorship
from jangkau.funding.rules.tariffs import BpuTariff, PuRate
from jangkau.kit.months import Month
from jangkau.registry.models import Employer, Membership, Person

OPEN_STATUSES = ("pending", "active", "lapsed")
# payer id, membership id, person id, contribution month, amount
LineSelect = Select[int, int, int, dt.date, int]
AnyLines = Select[int, int, int, dt.date, int] | CompoundSelect[int, int, int, dt.date, int]


# PostgreSQL only: one chunk's lines, computed once (not part of the schema: a temporary table of the session,
# emptied at every commit, so Alembic never sees it)
_chunk_line = Table(
    "billing_chunk_line",
    MetaData(),
    Column("payer_id", BigInteger),
    Column("membership_id", BigInteger),
    Column("person_id", BigInteger),
    Column("month", Date),
    Column("amount", BigInteger),
    prefixes=["TEMPORARY"],
    postgresql_on_commit="DELETE ROWS",
)


@dataclass(frozen=True)
class Chunk:
    """Payers with ids in ``[low, high]`` of one bill kind."""

    kind: str
    low: int
    high: int


def ensure_payers(session: Session) -> int:
    """Create the employer payer of every employer and the self payer of every BPU member who lack one.

    The billing run does this first; ``jangkau billing payers`` does it ahead of the run (the first run after many
    registrations then bills only). Returns how many payers it created.
    """
    counted = {"preserve_rowcount": True}  # SQLAlchemy 2.1 keeps an INSERT's rowcount only when asked (else -1)
    employers = session.execute(
        insert(Payer).from_select(
            ["kind", "name", "employer_id", "region_code"],
            select(literal("employer"), Employer.name, Employer.id, Employer.village_code).where(
                ~exists().where(Payer.employer_id == Employer.id)
            ),
        ),
        execution_options=counted,
    )
    bpu_people = select(Membership.person_id).where(Membership.segment == "bpu").distinct().subquery()
    created = session.execute(
        insert(Payer).from_select(
            ["kind", "name", "person_id", "region_code", "phone"],
            select(literal("self"), Person.full_name, Person.id, Person.village_code, Person.phone)
            .join(bpu_people, bpu_people.c.person_id == Person.id)
            .where(~exists().where(Payer.person_id == Person.id)),
        ),
        execution_options=counted,
    )
    # No ANALYZE of the payers here. Until 2026-12-04 one was meant to run after a big creation, but the rowcount it
    # tested was -1 on PostgreSQL, so it never ran; once it did, each BPU chunk's line query was planned as a
    # parallel scan of the whole membership table (27 scans at 1M members) and the line queries took 2x as long
    # (bench/funding/README.md). The chunks are planned as index walks of the payer-id range without it.
    return int(employers.rowcount) + int(created.rowcount)  # type: ignore[attr-defined]


def _open_in(month: Month) -> ColumnElement[bool]:
    return and_(
        Membership.status.in_(OPEN_STATUSES),
        Membership.start_date <= month.last_day(),
        or_(Membership.end_date.is_(None), Membership.end_date >= month.first_day()),
    )


def _no_line(month: ColumnElement[dt.date] | dt.date) -> ColumnElement[bool]:
    return ~exists().where(BillLine.membership_id == Membership.id, BillLine.month == month)


def _not_sponsored(month: ColumnElement[dt.date] | dt.date) -> ColumnElement[bool]:
    return ~exists().where(
        Sponsorship.membership_id == Membership.id, Sponsorship.first_month <= month, Sponsorship.last_month >= month
    )


def _holds(program: ColumnElement[str]) -> ColumnElement[bool]:
    return (literal(",") + Membership.programs + literal(",")).like(literal("%,") + program + literal(",%"))


def _half_up(base: ColumnElement[int], bp100: ColumnElement[int]) -> ColumnElement[int]:
    return (base * bp100 + 500_000) // 1_000_000


def pu_lines(month: Month, rates: list[PuRate], cap: int, chunk: Chunk) -> LineSelect:
    """Per PU membership of employers in ``chunk``: payer, membership, person, month, amount."""
    r = (
        values(
            column("risk_group", Integer),
            column("program", String),
            column("employer_bp100", Integer),
            column("worker_bp100", Integer),
            column("capped", Integer),
            name="pu_rate",
        )
        .data([(x.risk_group, x.program, x.employer_bp100, x.worker_bp100, int(x.capped)) for x in rates])
        .cte("pu_rate")
    )
    wage = func.coalesce(Membership.wage, 0)
    base = case((and_(r.c.capped == 1, wage > cap), literal(cap)), else_=wage)
    amount = func.sum(_half_up(base, r.c.employer_bp100) + _half_up(base, r.c.worker_bp100))
    return (
        select(Payer.id, Membership.id, Membership.person_id, literal(month.first_day(), Date), amount)
        .select_from(Payer)
        .join(Employer, Employer.id == Payer.employer_id)
        .join(Membership, Membership.employer_id == Employer.id)
        .join(r, and_(r.c.risk_group == Employer.jkk_risk_group, _holds(r.c.program)))
        .where(
            Membership.segment == "pu",
            _open_in(month),
            Payer.id.between(chunk.low, chunk.high),
            _no_line(month.first_day()),
        )
        .group_by(Payer.id, Membership.id, Membership.person_id)
    )


def bpu_lines(month: Month, tariffs: list[BpuTariff], chunk: Chunk) -> CompoundSelect[int, int, int, dt.date, int]:
    """Per BPU membership not sponsored, for each prepaid month: payer, membership, person, month, amount.

    Driven by the payer-id range (an index range), in two parts: memberships with an assigned payer (a wadah, a
    donor, a prepaying worker) and memberships paid by the worker without an assignment.
    """
    t = (
        values(
            column("income", Integer),
            column("programs", String),
            column("step", Integer),
            column("line_month", Date),
            column("amount", Integer),
            name="bpu_tariff",
        )
        .data([(x.income, x.programs, x.step, x.month.first_day(), x.amount) for x in tariffs])
        .cte("bpu_tariff")
    )
    tariff = and_(t.c.income == Membership.declared_income, t.c.programs == Membership.programs)
    common = (
        Membership.segment == "bpu",
        _open_in(month),
        _no_line(month.first_day()),
        _not_sponsored(month.first_day()),
        _no_line(t.c.line_month),
        _not_sponsored(t.c.line_month),
    )
    assigned = (
        select(MembershipPayer.payer_id, Membership.id, Membership.person_id, t.c.line_month, t.c.amount)
        .select_from(MembershipPayer)
        .join(Membership, Membership.id == MembershipPayer.membership_id)
        .join(t, and_(tariff, t.c.step < MembershipPayer.prepay_months))
        .where(MembershipPayer.payer_id.between(chunk.low, chunk.high), *common)
    )
    own = (
        select(Payer.id, Membership.id, Membership.person_id, t.c.line_month, t.c.amount)
        .select_from(Payer)
        .join(Membership, Membership.person_id == Payer.person_id)
        .join(t, and_(tariff, t.c.step == 0))
        .where(
            Payer.kind == "self",
            Payer.id.between(chunk.low, chunk.high),
            ~exists().where(MembershipPayer.membership_id == Membership.id),
            *common,
        )
    )
    return union_all(assigned, own)


def sponsor_lines(month: Month, amounts: dict[int, int], chunk: Chunk) -> LineSelect:
    """Per sponsored membership in ``month``: the sponsor, membership, person, month and the package amount."""
    t = (
        values(column("programme_id", Integer), column("amount", Integer), name="package")
        .data(list(amounts.items()))
        .cte("package")
    )
    return (
        select(Programme.payer_id, Membership.id, Membership.person_id, literal(month.first_day(), Date), t.c.amount)
        .select_from(Sponsorship)
        .join(Programme, Programme.id == Sponsorship.programme_id)
        .join(t, t.c.programme_id == Programme.id)
        .join(Membership, Membership.id == Sponsorship.membership_id)
        .where(
            Sponsorship.first_month <= month.first_day(),
            Sponsorship.last_month >= month.first_day(),
            _open_in(month),
            Programme.payer_id.between(chunk.low, chunk.high),
            _no_line(month.first_day()),
        )
    )


def insert_bills(
    session: Session,
    lines: AnyLines,
    month: Month,
    kind: str,
    due_on: dt.date,
    batch: str,
) -> tuple[int, int]:
    """Insert one bill per payer of ``lines`` (none if the payer already has one) and its lines.

    Returns:
        (bills inserted, lines inserted).
    """
    if session.get_bind().dialect.name == "postgresql":
        return _insert_bills_postgres(session, lines, month, kind, due_on, batch)
    src = lines.subquery("src")
    payer_col, membership_col, person_col, month_col, amount_col = src.c
    prefix = f"{kind.upper()}-{month.year:04d}{month.month:02d}-"
    existing = aliased(Bill)
    headers = (
        select(
            literal(prefix) + cast(payer_col, String),
            payer_col,
            literal(month.first_day(), Date),
            literal(kind),
            literal(0),
            literal(due_on, Date),
            func.sum(amount_col),
            literal(batch),
            literal(dt.datetime.now(dt.UTC), Bill.created_at.type),
        )
        .where(
            ~exists().where(
                existing.payer_id == payer_col,
                existing.month == month.first_day(),
                existing.kind == kind,
                existing.seq == 0,
            )
        )
        .group_by(payer_col)
    )
    # The driver's rowcount is -1 for a statement starting with WITH (SQLite), so count what the batch holds.
    session.execute(
        insert(Bill).from_select(
            ["reference", "payer_id", "month", "kind", "seq", "due_on", "amount", "batch", "created_at"], headers
        )
    )
    body = select(Bill.id, membership_col, person_col, month_col, amount_col).join(
        Bill,
        and_(Bill.payer_id == payer_col, Bill.month == month.first_day(), Bill.kind == kind, Bill.batch == batch),
    )
    session.execute(insert(BillLine).from_select(["bill_id", "membership_id", "person_id", "month", "amount"], body))
    bills = session.scalar(select(func.count()).select_from(Bill).where(Bill.batch == batch))
    count = session.scalar(
        select(func.count()).select_from(BillLine).join(Bill, Bill.id == BillLine.bill_id).where(Bill.batch == batch)
    )
    return int(bills or 0), int(count or 0)


def _insert_bills_postgres(
    session: Session, lines: AnyLines, month: Month, kind: str, due_on: dt.date, batch: str
) -> tuple[int, int]:
    """PostgreSQL: the chunk's lines into a temporary table (the line query runs once), then bills and lines in one
    statement (the new bills' ids come back from ``RETURNING``, so no join back to the bill table, whose statistics
    a long run leaves stale). Same guards as the portable path: no bill where the payer has one, no line where the
    membership has one for the month (the NOT EXISTS in ``lines`` and the unique keys)."""
    _chunk_line.create(session.connection(), checkfirst=True)
    session.execute(delete(_chunk_line))  # an earlier chunk of the same transaction
    session.execute(insert(_chunk_line).from_select([c.name for c in _chunk_line.c], lines))
    c = _chunk_line.c
    existing = aliased(Bill)
    prefix = f"{kind.upper()}-{month.year:04d}{month.month:02d}-"
    headers = (
        select(
            literal(prefix) + cast(c.payer_id, String),
            c.payer_id,
            literal(month.first_day(), Date),
            literal(kind),
            literal(0),
            literal(due_on, Date),
            func.sum(c.amount),
            literal(batch),
            literal(dt.datetime.now(dt.UTC), Bill.created_at.type),
        )
        .where(
            ~exists().where(
                existing.payer_id == c.payer_id,
                existing.month == month.first_day(),
                existing.kind == kind,
                existing.seq == 0,
            )
        )
        .group_by(c.payer_id)
    )
    new_bill = (
        insert(Bill)
        .from_select(
            ["reference", "payer_id", "month", "kind", "seq", "due_on", "amount", "batch", "created_at"], headers
        )
        .returning(Bill.id, Bill.payer_id)
        .cte("new_bill")
    )
    body = select(new_bill.c.id, c.membership_id, c.person_id, c.month, c.amount).join(
        new_bill, new_bill.c.payer_id == c.payer_id
    )
    new_line = (
        insert(BillLine)
        .from_select(["bill_id", "membership_id", "person_id", "month", "amount"], body)
        .returning(BillLine.id)
        .cte("new_line")
    )
    bills, count = session.execute(
        select(
            select(func.count()).select_from(new_bill).scalar_subquery(),
            select(func.count()).select_from(new_line).scalar_subquery(),
        )
    ).one()
    return int(bills), int(count)


def analyze_ledger(session: Session) -> None:
    """PostgreSQL: fresh statistics for the bill tables after a billing run added a month of rows to them.

    Planned on the statistics of before (an empty ledger, or last month's), a join of bills and lines picks nested
    loops over whole tables: the month's totals took 171 s for 20,000 lines in the benchmark, against 0.1 s after
    ANALYZE. Autovacuum would get there, but not within the run.
    """
    if session.get_bind().dialect.name == "postgresql":
        session.execute(text("ANALYZE funding_bill, funding_bill_line"))


def payer_id_range(session: Session, kind: str) -> tuple[int, int] | None:
    """Lowest and highest id of payers who might owe a bill of ``kind`` (employers, everyone, sponsors)."""
    kinds = {"pu": ("employer",), "bpu": None, "sponsor": None}[kind]
    query = select(func.min(Payer.id), func.max(Payer.id))
    if kinds:
        query = query.where(Payer.kind.in_(kinds))
    elif kind == "sponsor":
        query = query.where(Payer.kind.not_in(("self", "employer")))
    low, high = session.execute(query).one()
    return None if low is None else (int(low), int(high))


def bpu_income_programs(session: Session, month: Month) -> list[tuple[int, str]]:
    """Distinct (declared income, programmes) of BPU memberships open in ``month``."""
    rows = session.execute(
        select(Membership.declared_income, Membership.programs)
        .where(Membership.segment == "bpu", _open_in(month), Membership.declared_income.is_not(None))
        .distinct()
    ).all()
    return [(int(income or 0), str(programs)) for income, programs in rows]
