"""Join every domain branch into one chain (issue 18): from here on each revision has exactly one parent.

The eleven heads below were deployed as they are, so they are not rewritten; this revision only merges them.
After it, ``alembic heads`` names one revision and ``jangkau db upgrade`` goes to ``head``. The naming scheme for
every revision after it is in ``migrations/README.md``.

Revision ID: 0021_merge_heads
Revises: 0014_reporting_outreach, 0015_jobs_match, 0016_login_totp, 0016_registry_coverage_challenge,
    0016_rules_versions, 0017_auth_audit_seal, 0017_money_claim_requests, 0019_ops_worker_heartbeat,
    0019_queue_schedule, 0020_billing_line_person_fk, 0020_followups_user_consent
Create Date: 2026-12-04 19:40:00
"""

from __future__ import annotations

from collections.abc import Sequence

revision: str = "0021_merge_heads"
down_revision: str | Sequence[str] | None = (
    "0014_reporting_outreach",
    "0015_jobs_match",
    "0016_login_totp",
    "0016_registry_coverage_challenge",
    "0016_rules_versions",
    "0017_auth_audit_seal",
    "0017_money_claim_requests",
    "0019_ops_worker_heartbeat",
    "0019_queue_schedule",
    "0020_billing_line_person_fk",
    "0020_followups_user_consent",
)
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
