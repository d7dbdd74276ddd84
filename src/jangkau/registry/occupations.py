"""Occupations the register records, with the segment they usually belong to.

The list covers the work Jangkau's users meet: formal wage work and the informal work named in the programme's
outreach (street vendors, becak and angkot drivers, ojek, domestic workers, fishers, farmers, marbot, village
officials). Codes are stable identifiers; names are shown in Bahasa Indonesia first.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class Sector(StrEnum):
    FORMAL = "formal"
    INFORMAL = "informal"
    PUBLIC = "public"
    NONE = "none"


@dataclass(frozen=True)
class Occupation:
    code: str
    name_id: str
    name_en: str
    sector: Sector


OCCUPATIONS: dict[str, Occupation] = {
    o.code: o
    for o in [
        Occupation("karyawan_swasta", "Karyawan swasta", "Private-sector employee", Sector.FORMAL),
        Occupation("buruh_pabrik", "Buruh pabrik", "Factory worker", Sector.FORMAL),
        Occupation("pekerja_konstruksi", "Pekerja konstruksi", "Construction worker", Sector.FORMAL),
        Occupation("pegawai_toko", "Pegawai toko", "Shop assistant", Sector.FORMAL),
        Occupation("satpam", "Satpam", "Security guard", Sector.FORMAL),
        Occupation("sopir_perusahaan", "Sopir perusahaan", "Company driver", Sector.FORMAL),
        Occupation(
            "pegawai_non_asn",
            "Pegawai non-ASN pemerintah",
            "Non-civil-servant government staff",
            Sector.PUBLIC,
        ),
        Occupation("kepala_lingkungan", "Kepala lingkungan (kepling)", "Neighbourhood head (kepling)", Sector.PUBLIC),
        Occupation("perangkat_desa", "Perangkat desa/kelurahan", "Village official", Sector.PUBLIC),
        Occupation("pedagang_kaki_lima", "Pedagang kaki lima", "Street vendor", Sector.INFORMAL),
        Occupation("pedagang_pasar", "Pedagang pasar", "Market trader", Sector.INFORMAL),
        Occupation("pengemudi_ojek", "Pengemudi ojek/ojol", "Motorcycle-taxi driver", Sector.INFORMAL),
        Occupation("pengemudi_becak", "Pengemudi becak", "Becak driver", Sector.INFORMAL),
        Occupation("sopir_angkot", "Sopir angkot", "Angkot (minibus) driver", Sector.INFORMAL),
        Occupation("pekerja_rumah_tangga", "Pekerja rumah tangga", "Domestic worker", Sector.INFORMAL),
        Occupation("nelayan", "Nelayan", "Fisher", Sector.INFORMAL),
        Occupation("petani", "Petani", "Farmer", Sector.INFORMAL),
        Occupation("buruh_harian_lepas", "Buruh harian lepas", "Casual day labourer", Sector.INFORMAL),
        Occupation("tukang", "Tukang (bangunan, las, jahit)", "Tradesperson", Sector.INFORMAL),
        Occupation("marbot", "Marbot / penjaga rumah ibadah", "Mosque or place-of-worship keeper", Sector.INFORMAL),
        Occupation("usaha_mikro", "Pelaku usaha mikro", "Micro-business owner", Sector.INFORMAL),
        Occupation("pekerja_migran", "Pekerja migran (PMI)", "Migrant worker", Sector.INFORMAL),
        Occupation("pelajar", "Pelajar/mahasiswa", "Student", Sector.NONE),
        Occupation("mengurus_rumah_tangga", "Mengurus rumah tangga", "Homemaker", Sector.NONE),
        Occupation("pensiunan", "Pensiunan", "Retired", Sector.NONE),
        Occupation("belum_bekerja", "Belum/tidak bekerja", "Not working", Sector.NONE),
    ]
}


def occupation_name(code: str | None) -> str:
    """The Indonesian name of an occupation code (the code itself if unknown)."""
    if code is None:
        return ""
    occupation = OCCUPATIONS.get(code)
    return occupation.name_id if occupation else code
