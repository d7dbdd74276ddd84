"""Occupations the register records, with the segment they usually belong to.

The list covers the work Jangkau's users meet: formal wage work and the informal work named in the programme's
outreach (street vendors, becak and angkot drivers, ojek, domestic workers, fishers, farmers, marbot, village
officials). Codes are stable identifiers; a name is the English catalog text (``N_``), shown translated in the
page's language (Bahasa Indonesia in the catalog).
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from jangkau.i18n import N_, gettext


class Sector(StrEnum):
    FORMAL = "formal"
    INFORMAL = "informal"
    PUBLIC = "public"
    NONE = "none"


@dataclass(frozen=True)
class Occupation:
    code: str
    name: str  # English, the catalog's msgid: a template shows it with _(o.name)
    sector: Sector

    @property
    def name_id(self) -> str:
        """The name in Bahasa Indonesia (from the catalog)."""
        return gettext(self.name, "id")

    @property
    def name_en(self) -> str:
        """The name in English."""
        return self.name


OCCUPATIONS: dict[str, Occupation] = {
    o.code: o
    for o in [
        Occupation("karyawan_swasta", N_("Private-sector employee"), Sector.FORMAL),
        Occupation("buruh_pabrik", N_("Factory worker"), Sector.FORMAL),
        Occupation("pekerja_konstruksi", N_("Construction worker"), Sector.FORMAL),
        Occupation("pegawai_toko", N_("Shop assistant"), Sector.FORMAL),
        Occupation("satpam", N_("Security guard"), Sector.FORMAL),
        Occupation("sopir_perusahaan", N_("Company driver"), Sector.FORMAL),
        Occupation("pegawai_non_asn", N_("Non-civil-servant government staff"), Sector.PUBLIC),
        Occupation("kepala_lingkungan", N_("Neighbourhood head (kepling)"), Sector.PUBLIC),
        Occupation("perangkat_desa", N_("Village official"), Sector.PUBLIC),
        Occupation("pedagang_kaki_lima", N_("Street vendor"), Sector.INFORMAL),
        Occupation("pedagang_pasar", N_("Market trader"), Sector.INFORMAL),
        Occupation("pengemudi_ojek", N_("Motorcycle-taxi driver"), Sector.INFORMAL),
        Occupation("pengemudi_becak", N_("Becak driver"), Sector.INFORMAL),
        Occupation("sopir_angkot", N_("Angkot (minibus) driver"), Sector.INFORMAL),
        Occupation("pekerja_rumah_tangga", N_("Domestic worker"), Sector.INFORMAL),
        Occupation("nelayan", N_("Fisher"), Sector.INFORMAL),
        Occupation("petani", N_("Farmer"), Sector.INFORMAL),
        Occupation("buruh_harian_lepas", N_("Casual day labourer"), Sector.INFORMAL),
        Occupation("tukang", N_("Tradesperson"), Sector.INFORMAL),
        Occupation("marbot", N_("Mosque or place-of-worship keeper"), Sector.INFORMAL),
        Occupation("usaha_mikro", N_("Micro-business owner"), Sector.INFORMAL),
        Occupation("pekerja_migran", N_("Migrant worker"), Sector.INFORMAL),
        Occupation("pelajar", N_("Student"), Sector.NONE),
        Occupation("mengurus_rumah_tangga", N_("Homemaker"), Sector.NONE),
        Occupation("pensiunan", N_("Retired"), Sector.NONE),
        Occupation("belum_bekerja", N_("Not working"), Sector.NONE),
    ]
}
