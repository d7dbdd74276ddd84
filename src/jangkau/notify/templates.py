"""Message templates as data (``data/templates.toml``): named variables checked at load, one text per language.

A text names its variables as ``{nama}``; loading refuses a text that names a variable its use does not list, and
rendering refuses a missing or unknown variable, so a typo never reaches a worker as ``{nama}``.
"""

from __future__ import annotations

import enum
import string
import tomllib
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from jangkau.i18n import N_, bilingual
from jangkau.notify.errors import TemplateError

DATA = Path(__file__).parent / "data" / "templates.toml"
LANGUAGES = ("id", "en")


class Use(enum.StrEnum):
    """What a message is for (one template each)."""

    CONTRIBUTION_DUE_7 = "contribution_due_7"
    CONTRIBUTION_DUE_1 = "contribution_due_1"
    PAYMENT_MISSED_1 = "payment_missed_1"
    PAYMENT_MISSED_7 = "payment_missed_7"
    PROTECTION_LAPSE_SOON = "protection_lapse_soon"
    PROTECTION_RESTORED = "protection_restored"
    CLAIM_RECEIVED = "claim_received"
    CLAIM_DOCUMENTS_NEEDED = "claim_documents_needed"
    CLAIM_APPROVED = "claim_approved"
    CLAIM_PAID = "claim_paid"
    AGENT_FOLLOWUPS = "agent_followups"
    COVERAGE_CODE = "coverage_code"
    TEST = "test"


CONSENT_FREE = frozenset({Use.COVERAGE_CODE, Use.TEST})  # asked for (a code; a test): sent without consent


@dataclass(frozen=True)
class Template:
    """One use's template: variables (in WhatsApp parameter order), personal ones, WhatsApp name, texts."""

    use: Use
    what: str
    variables: tuple[str, ...]
    personal: frozenset[str]
    whatsapp: str
    texts: dict[str, str]
    subjects: dict[str, str]


@dataclass(frozen=True)
class Rendered:
    """A message ready for a channel: text, e-mail subject, WhatsApp template name and ordered parameters."""

    use: Use
    language: str
    subject: str
    text: str
    stop_line: str
    whatsapp: str
    parameters: tuple[str, ...]

    def with_stop(self) -> str:
        """The text with how to stop (every SMS and WhatsApp message carries it)."""
        return f"{self.text} {self.stop_line}"


@dataclass(frozen=True)
class Catalog:
    templates: dict[Use, Template]
    stop: dict[str, str]

    def get(self, use: Use | str) -> Template:
        try:
            return self.templates[Use(use)]
        except (ValueError, KeyError) as exc:
            raise TemplateError(*bilingual(N_("no template for use %(use)s"), use=repr(use))) from exc


def _named(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name is not None}


def _template(use: str, entry: dict[str, Any]) -> Template:
    variables = tuple(entry["variables"])
    texts, subjects = {}, {}
    for lang in LANGUAGES:
        block = entry.get(lang)
        if not isinstance(block, dict) or "text" not in block:
            raise TemplateError(*bilingual(N_("template %(use)s: no %(language)s text"), use=use, language=lang))
        texts[lang], subjects[lang] = str(block["text"]), str(block.get("subject", ""))
        for part in (texts[lang], subjects[lang]):
            unknown = sorted(_named(part) - set(variables))
            if unknown:
                raise TemplateError(
                    *bilingual(
                        N_("template %(use)s (%(language)s) names unknown variable(s) %(unknown)s; known: %(known)s"),
                        use=use,
                        language=lang,
                        unknown=unknown,
                        known=list(variables),
                    )
                )
    return Template(
        Use(use), str(entry.get("what", "")), variables, frozenset(entry.get("personal", [])),
        str(entry["whatsapp"]), texts, subjects,
    )  # fmt: skip


def parse_catalog(text: str) -> Catalog:
    """Parse and check a templates file.

    Raises:
        TemplateError: a use without a text per language, a text naming an unknown variable, or an unknown use.
    """
    data = tomllib.loads(text)
    templates: dict[Use, Template] = {}
    for use, entry in data.get("uses", {}).items():
        if use not in Use.__members__.values():
            raise TemplateError(*bilingual(N_("unknown use %(use)s in templates"), use=repr(use)))
        templates[Use(use)] = _template(use, entry)
    missing = sorted(u.value for u in set(Use) - set(templates))
    if missing:
        raise TemplateError(*bilingual(N_("templates missing for %(missing)s"), missing=missing))
    return Catalog(templates, {lang: str(data["stop"][lang]) for lang in LANGUAGES})


@lru_cache(maxsize=1)
def catalog() -> Catalog:
    """The shipped templates (checked once per process)."""
    return parse_catalog(DATA.read_text(encoding="utf-8"))


def render(use: Use | str, language: str, variables: dict[str, str]) -> Rendered:
    """The text of ``use`` in ``language`` (``en``, else Bahasa Indonesia) with ``variables`` filled in.

    Raises:
        TemplateError: an unknown use, or variables missing or not named by the template.
    """
    cat = catalog()
    template = cat.get(use)
    lang = language if language in LANGUAGES else "id"
    given = set(variables)
    unknown, missing = sorted(given - set(template.variables)), sorted(set(template.variables) - given)
    if unknown or missing:
        raise TemplateError(
            *bilingual(
                N_("template %(use)s: unknown variable(s) %(unknown)s, missing %(missing)s"),
                use=template.use,
                unknown=unknown,
                missing=missing,
            )
        )
    values = {k: str(v) for k, v in variables.items()}
    return Rendered(
        template.use,
        lang,
        template.subjects[lang].format(**values),
        template.texts[lang].format(**values),
        cat.stop[lang],
        template.whatsapp,
        tuple(values[name] for name in template.variables),
    )


def masked_variables(use: Use | str, variables: dict[str, str]) -> dict[str, str]:
    """``variables`` with the personal ones masked (what the log channel may write)."""
    personal = catalog().get(use).personal
    return {k: ("***" if k in personal else v) for k, v in variables.items()}
