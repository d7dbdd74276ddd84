"""Every domain's models, imported in one place so that Alembic sees the whole schema."""

from __future__ import annotations

from jangkau.auth import models as auth_models
from jangkau.claims import models as claims_models
from jangkau.compliance import models as compliance_models
from jangkau.db import checkpoint as checkpoint_models
from jangkau.db import outbox as outbox_models
from jangkau.db.base import Base
from jangkau.funding import models as funding_models
from jangkau.jobs import models as jobs_models
from jangkau.linkage import models as linkage_models
from jangkau.notify import models as notify_models
from jangkau.outreach import models as outreach_models
from jangkau.regions import models as regions_models
from jangkau.registry import models as registry_models
from jangkau.reporting import models as reporting_models
from jangkau.ruleadmin import models as ruleadmin_models
from jangkau.tasks import models as tasks_models

DOMAIN_MODELS = (
    checkpoint_models,
    outbox_models,
    regions_models,
    registry_models,
    auth_models,
    funding_models,
    compliance_models,
    outreach_models,
    reporting_models,
    claims_models,
    jobs_models,
    linkage_models,
    ruleadmin_models,
    tasks_models,
    notify_models,
)
metadata = Base.metadata
