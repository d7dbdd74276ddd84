"""The membership card as a PDF (WeasyPrint), with the NIK masked."""

from __future__ import annotations

from jinja2 import Environment, PackageLoader, select_autoescape

from jangkau.kit.masking import mask_nik
from jangkau.registry.models import Membership, Person

_env = Environment(loader=PackageLoader("jangkau", "templates"), autoescape=select_autoescape(["html"]))
PROGRAM_NAMES = {
    "jkk": "Jaminan Kecelakaan Kerja",
    "jkm": "Jaminan Kematian",
    "jht": "Jaminan Hari Tua",
    "jp": "Jaminan Pensiun",
    "jkp": "Jaminan Kehilangan Pekerjaan",
}


def card_pdf(person: Person, membership: Membership, village_name: str) -> bytes:
    """Render the card: name, masked NIK, segment, programmes, start and (if ended) end of the period."""
    from weasyprint import HTML

    html = _env.get_template("card.html").render(
        person=person,
        nik=mask_nik(person.nik),
        membership=membership,
        village=village_name,
        programs=[PROGRAM_NAMES.get(p, p) for p in membership.programs.split(",")],
    )
    pdf: bytes = HTML(string=html).write_pdf()
    return pdf
