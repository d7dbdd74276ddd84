"""The membership card as a PDF (WeasyPrint), with the NIK masked."""

from __future__ import annotations

from typing import Any

from itsdangerous import BadSignature, URLSafeSerializer
from jinja2 import Environment, PackageLoader, select_autoescape

from jangkau.auth.secrets import qr_svg_data_uri
from jangkau.config import get_settings
from jangkau.i18n import DEFAULT_LANGUAGE, format_date, format_rupiah, translations
from jangkau.kit.masking import mask_nik
from jangkau.registry.models import Membership, Person

_env = Environment(
    loader=PackageLoader("jangkau.web", "templates"),
    autoescape=select_autoescape(["html"]),
    extensions=["jinja2.ext.i18n"],
)
# The card is printed in Bahasa Indonesia; its words come from the catalog like every page's (ADR 0016).
_env.install_gettext_translations(translations(DEFAULT_LANGUAGE), newstyle=True)  # type: ignore[attr-defined]
_env.filters["rupiah"] = lambda amount: format_rupiah(amount, DEFAULT_LANGUAGE)
_env.filters["date"] = lambda value: format_date(value, DEFAULT_LANGUAGE)  # "4 Desember 2026", as on the pages
PROGRAM_NAMES = {
    "jkk": "Jaminan Kecelakaan Kerja",
    "jkm": "Jaminan Kematian",
    "jht": "Jaminan Hari Tua",
    "jp": "Jaminan Pensiun",
    "jkp": "Jaminan Kehilangan Pekerjaan",
}


def _signer() -> URLSafeSerializer:
    return URLSafeSerializer(get_settings().secret_key, salt="jangkau-membership-card")


def card_token(membership_id: int) -> str:
    """The signed, unguessable part of a card's verification address (it names the membership, nothing else)."""
    return str(_signer().dumps(membership_id))


def membership_of_token(token: str) -> int | None:
    """The membership a card's token was made for, or ``None`` for a forged or damaged token."""
    try:
        value = _signer().loads(token)
    except BadSignature:
        return None
    return value if isinstance(value, int) else None


def programme_names(membership: Membership) -> list[str]:
    return [PROGRAM_NAMES.get(p, p) for p in membership.programs.split(",")]


def card_pdf(
    person: Person, membership: Membership, village_name: str, verify_url: str, protection: Any = None
) -> bytes:
    """Render the card: name, masked NIK, segment, programmes, period, and a QR code of ``verify_url``, the page
    that confirms the card is genuine and shows no more than the card itself. ``protection`` (the funding domain's
    ``MemberProtection``, above this one) adds the protection sentence on the front and, on the back, who pays and
    how to pay."""
    from weasyprint import HTML

    html = _env.get_template("card.html").render(
        person=person,
        nik=mask_nik(person.nik),
        membership=membership,
        village=village_name,
        programs=programme_names(membership),
        verify_url=verify_url,
        qr=qr_svg_data_uri(verify_url),
        mp=protection,
    )
    pdf: bytes = HTML(string=html).write_pdf()
    return pdf
