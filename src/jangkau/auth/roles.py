"""Roles and what each may do: an explicit table, read by every endpoint, page and command that checks access."""

from __future__ import annotations

from enum import StrEnum


class Role(StrEnum):
    ADMIN = "admin"
    BRANCH_OFFICER = "branch_officer"  # BPJS branch office staff
    REGION_OFFICER = "region_officer"  # city/regency government (e.g. Disnaker, Bappeda)
    OPD_OFFICER = "opd_officer"  # another regional office (OPD)
    FIELD_AGENT = "field_agent"  # Bhabinkamtibmas, Babinsa, village head, kepling, community agent
    SPONSOR = "sponsor"  # APBD, Dana Desa, CSR, donor
    EMPLOYER = "employer"
    WORKER = "worker"
    RULES_ADMIN = "rules_admin"  # keeps the rule tables current (minimum wages, JP cap): proposes, checks


class AgentKind(StrEnum):
    BHABINKAMTIBMAS = "bhabinkamtibmas"
    BABINSA = "babinsa"
    VILLAGE_HEAD = "village_head"
    KEPLING = "kepling"
    COMMUNITY_AGENT = "community_agent"  # e.g. Perisai


class Permission(StrEnum):
    REGISTRY_READ = "registry.read"  # list people in scope (masked identifiers)
    REGISTRY_READ_FULL = "registry.read_full"  # see full NIK and phone (every read is audited)
    REGISTRY_WRITE = "registry.write"  # register persons, employers, memberships
    ENROL = "registry.enrol"  # door-to-door enrolment
    REGISTER_OTHERS = "registry.register_others"  # a worker or employer registers a household worker (JMO way)
    QUOTE = "rules.quote"  # contribution quotes
    USERS_MANAGE = "users.manage"
    AUDIT_READ = "audit.read"
    FUNDING_READ = "funding.read"
    FUNDING_WRITE = "funding.write"
    FUNDING_OWN = "funding.own"  # a sponsor reads the programmes and statements of the payers it speaks for
    OWN_COVERAGE = "self.coverage"  # a worker checks their own coverage
    REPORTS_READ = "reports.read"  # coverage dashboards, reports and exports of the territory
    REPORTS_WRITE = "reports.write"  # workforce estimates, targets, scorecard entries and evidence
    COMPLIANCE_READ = "compliance.read"  # employer risk list, findings, cases, city compliance summary
    COMPLIANCE_WRITE = "compliance.write"  # imports, scans, cases and their steps, letters
    CLAIMS_FILE = "claims.file"  # report a claim (field agents for a family, workers, employers) and quote it
    CLAIMS_PROCESS = "claims.process"  # branch officers: documents, verify, approve, pay, reject, handover
    OUTREACH_READ = "outreach.read"  # campaigns, funnel, leaderboards, events, partnerships in scope
    OUTREACH_MANAGE = "outreach.manage"  # agents, campaigns, prospect lists, events, partnerships
    FIELD_WORK = "outreach.field"  # an agent's visits, today's work and the offline field app
    JOBS_SEEK = "jobs.seek"  # a worker keeps their job-seeker profile, applies, trains, files requests
    JOBS_ASSIST = "jobs.assist"  # an agent or the manpower office keeps a profile and files requests for a person
    JOBS_POST = "jobs.post"  # an employer posts vacancies, moves its applicants on, registers its hires
    JOBS_MANAGE = "jobs.manage"  # the manpower office: vacancies, training, announcements, requests, overdue hires
    LINKAGE_IMPORT = "linkage.import"  # import outside lists, link them, see outcomes, make prospects
    LINKAGE_REVIEW = "linkage.review"  # the review queue of doubtful pairs, verdicts and training labels
    RULES_READ = "rules.read"  # list and export rule table versions, see the tables' health
    RULES_MANAGE = "rules.manage"  # propose, activate (another user's proposal) and withdraw rule table versions
    TASKS_MANAGE = "tasks.manage"  # the task console: queued, running, done and failed tasks; retry a failed one
    SCHEDULE_MANAGE = "tasks.schedule"  # change the schedule's cron lines (admin only)


_STAFF_READ = {
    Permission.REGISTRY_READ,
    Permission.QUOTE,
    Permission.FUNDING_READ,
    Permission.REPORTS_READ,
    Permission.RULES_READ,
}

PERMISSIONS: dict[Role, frozenset[Permission]] = {
    Role.ADMIN: frozenset(Permission),
    Role.BRANCH_OFFICER: frozenset(
        _STAFF_READ
        | {Permission.REGISTRY_READ_FULL, Permission.REGISTRY_WRITE, Permission.ENROL, Permission.FUNDING_WRITE}
        | {Permission.COMPLIANCE_READ, Permission.COMPLIANCE_WRITE}
        | {Permission.CLAIMS_FILE, Permission.CLAIMS_PROCESS}
        | {Permission.OUTREACH_READ, Permission.OUTREACH_MANAGE}
        | {Permission.LINKAGE_IMPORT, Permission.LINKAGE_REVIEW}
        | {Permission.TASKS_MANAGE}
    ),
    Role.REGION_OFFICER: frozenset(
        _STAFF_READ
        | {Permission.FUNDING_WRITE}
        | {Permission.REPORTS_WRITE}
        | {Permission.COMPLIANCE_READ}
        | {Permission.JOBS_ASSIST, Permission.JOBS_MANAGE}
        | {Permission.OUTREACH_READ, Permission.OUTREACH_MANAGE}
        | {Permission.LINKAGE_IMPORT, Permission.LINKAGE_REVIEW}
    ),
    Role.OPD_OFFICER: frozenset(
        _STAFF_READ | {Permission.OUTREACH_READ} | {Permission.JOBS_ASSIST, Permission.JOBS_MANAGE}
    ),
    Role.FIELD_AGENT: frozenset(
        {Permission.REGISTRY_READ, Permission.REGISTRY_READ_FULL, Permission.ENROL, Permission.QUOTE}
        | {Permission.REPORTS_READ}
        | {Permission.CLAIMS_FILE}
        | {Permission.OUTREACH_READ, Permission.FIELD_WORK}
        | {Permission.JOBS_ASSIST}
    ),
    Role.SPONSOR: frozenset({Permission.FUNDING_OWN, Permission.QUOTE}),
    Role.EMPLOYER: frozenset(
        {Permission.REGISTER_OTHERS, Permission.QUOTE, Permission.CLAIMS_FILE} | {Permission.JOBS_POST}
    ),
    Role.WORKER: frozenset(
        {Permission.OWN_COVERAGE, Permission.REGISTER_OTHERS, Permission.QUOTE, Permission.CLAIMS_FILE}
        | {Permission.JOBS_SEEK}
    ),
    Role.RULES_ADMIN: frozenset({Permission.RULES_READ, Permission.RULES_MANAGE, Permission.QUOTE}),
}

ROLE_NAMES_ID: dict[Role, str] = {
    Role.ADMIN: "Administrator",
    Role.BRANCH_OFFICER: "Petugas kantor cabang BPJS",
    Role.REGION_OFFICER: "Petugas pemerintah daerah",
    Role.OPD_OFFICER: "Petugas OPD",
    Role.FIELD_AGENT: "Petugas lapangan",
    Role.SPONSOR: "Penyandang dana",
    Role.EMPLOYER: "Pemberi kerja",
    Role.WORKER: "Pekerja",
    Role.RULES_ADMIN: "Pengelola tabel aturan",
}
