"""Which of our columns a list's header means, for the headers city offices write (Indonesian and English).

:func:`propose_columns` proposes a target for each source column; the officer confirms or corrects it on the
preview page before anything is imported.  Pure: standard library only.
"""

from __future__ import annotations

import re

IGNORE = ""
# our column -> the header spellings that mean it (compared after :func:`header_key`)
_SYNONYMS: dict[str, tuple[str, ...]] = {
    "row_id": ("row id", "id", "no", "no urut", "nomor", "nomor urut", "urut"),
    "nik": ("nik", "no ktp", "nomor ktp", "ktp", "nik ktp", "no nik", "nomor nik", "nomor induk kependudukan",
            "no induk kependudukan", "nik e ktp"),
    "name": ("name", "nama", "nama lengkap", "nama peserta", "nama pekerja", "nama sesuai ktp", "full name"),
    "birth_date": ("birth date", "tgl lahir", "tanggal lahir", "tgl lhr", "tanggal lhr", "ttl",
                   "tempat tanggal lahir", "tempat tgl lahir", "tmp tgl lahir", "date of birth", "dob"),
    "sex": ("sex", "jenis kelamin", "jk", "l p", "kelamin", "gender", "jns kelamin"),
    "village_code": ("village code", "village", "kelurahan", "desa", "kel desa", "desa kel", "kelurahan desa",
                     "desa kelurahan", "kode desa", "kode kelurahan", "kode wilayah", "kel", "nama kelurahan"),
}  # fmt: skip
# headers recognised as known but not used for linkage (shown as "not used" rather than "unknown")
_KNOWN_UNUSED = ("alamat", "no hp", "nomor hp", "hp", "no telp", "telepon", "no wa", "rt", "rw", "rt rw",
                 "kecamatan", "pekerjaan", "tempat lahir", "agama", "keterangan", "ket")  # fmt: skip
_LOOKUP = {key: target for target, names in _SYNONYMS.items() for key in names}


def header_key(name: str) -> str:
    """A header compared loosely, lower case and words only: ``"Tgl. Lahir"`` -> ``"tgl lahir"``."""
    return " ".join(re.split(r"[^0-9a-z]+", name.strip().lower())).strip()


def target_for(name: str) -> str:
    """Our column for one source header, or ``""`` (not used)."""
    key = header_key(name)
    return _LOOKUP.get(key, IGNORE)


def is_known(name: str) -> bool:
    """Whether the header is one a city list is known to carry (mapped or deliberately not used)."""
    return bool(target_for(name)) or header_key(name) in _KNOWN_UNUSED


def propose_columns(header: list[str]) -> dict[str, str]:
    """Source header -> our column, for every header that means one of ours; each of ours at most once.

    The first column that means a target wins; a header equal to our own column name (``birth_date``) is mapped
    too.
    """
    proposed: dict[str, str] = {}
    taken: set[str] = set()
    for name in header:
        target = target_for(name)
        if target and target not in taken:
            proposed[name] = target
            taken.add(target)
    return proposed
