"""Checkpoints for batch jobs: a job commits in steps and records how far it got, so a rerun resumes."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Integer, String, Text, delete
from sqlalchemy.orm import Mapped, Session, mapped_column

from jangkau.db.base import Base, utcnow
from jangkau.db.types import UtcDateTime


class JobCheckpoint(Base):
    """How far one run of a job (``job`` + ``key``) has come."""

    __tablename__ = "job_checkpoint"

    job: Mapped[str] = mapped_column(String(40), primary_key=True)
    key: Mapped[str] = mapped_column(String(200), primary_key=True)
    units_done: Mapped[int] = mapped_column(Integer, default=0)
    units_total: Mapped[int] = mapped_column(Integer, default=0)
    state: Mapped[str] = mapped_column(String(12), default="running")
    note: Mapped[str | None] = mapped_column(Text)
    updated_at: Mapped[dt.datetime] = mapped_column(UtcDateTime, default=utcnow, onupdate=utcnow)


def get_checkpoint(session: Session, job: str, key: str) -> JobCheckpoint | None:
    return session.get(JobCheckpoint, (job, key))


def save_checkpoint(session: Session, job: str, key: str, done: int, total: int, state: str = "running") -> None:
    """Record progress (in the caller's transaction, so it commits together with the step's work)."""
    checkpoint = session.get(JobCheckpoint, (job, key))
    if checkpoint is None:
        checkpoint = JobCheckpoint(job=job, key=key)
        session.add(checkpoint)
    checkpoint.units_done, checkpoint.units_total, checkpoint.state = done, total, state
    checkpoint.updated_at = utcnow()
    session.flush()


def delete_checkpoints(session: Session, job: str) -> None:
    session.execute(delete(JobCheckpoint).where(JobCheckpoint.job == job))
    session.expire_all()
