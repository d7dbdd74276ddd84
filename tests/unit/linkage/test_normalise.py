"""Name normalisation: Indonesian variants, honorifics and degrees, and the blocking-safe name_core."""

from __future__ import annotations

import pytest

from jangkau.linkage.engine.normalise import normalise_name


@pytest.mark.parametrize(
    ("written", "expected"),
    [
        ("Muhammad Yusuf", "MUHAMMAD YUSUF"),
        ("Muhamad Yusuf", "MUHAMMAD YUSUF"),
        ("Mohammad Yusuf", "MUHAMMAD YUSUF"),
        ("Mohamad Yusuf", "MUHAMMAD YUSUF"),
        ("Moh. Yusuf", "MUHAMMAD YUSUF"),
        ("Moh.Yusuf", "MUHAMMAD YUSUF"),
        ("Muh. Yusuf", "MUHAMMAD YUSUF"),
        ("M. Yusuf", "MUHAMMAD YUSUF"),
        ("St. Aminah", "SITI AMINAH"),
        ("Nurul Aini", "NUR AINI"),
        ("Abd. Rahman", "ABDUL RAHMAN"),
        ("H. Ahmad Dahlan", "AHMAD DAHLAN"),
        ("Hj. Siti Aminah", "SITI AMINAH"),
        ("Dr. Ir. Budi Santoso", "BUDI SANTOSO"),
        ("Budi Santoso, S.Pd.", "BUDI SANTOSO"),
        ("Budi Santoso, S.E., M.M.", "BUDI SANTOSO"),
        ("Budi Santoso S.Pd", "BUDI SANTOSO"),
        ("budi santoso spd", "BUDI SANTOSO"),
        ("Siti Aminah A.Md.Keb", "SITI AMINAH"),
        ("Drs. Abd. Rahman, M.Pd", "ABDUL RAHMAN"),
        ("Ma'ruf Amin", "MARUF AMIN"),
        ("José  Ramos-Horta", "JOSE RAMOS HORTA"),
    ],
)
def test_variants_titles_and_degrees_normalise_to_one_form(written: str, expected: str) -> None:
    assert normalise_name(written).norm == expected


def test_initial_at_the_end_is_kept_not_expanded() -> None:
    assert normalise_name("Budi M.").norm == "BUDI M"


def test_swapped_tokens_share_the_sorted_form() -> None:
    assert normalise_name("Santoso Budi").sorted == normalise_name("Budi Santoso").sorted
    assert normalise_name("Santoso Budi").norm != normalise_name("Budi Santoso").norm


def test_name_core_drops_common_tokens_for_blocking() -> None:
    forms = normalise_name("H. M. Nur Hidayat")
    assert forms.norm == "MUHAMMAD NUR HIDAYAT"
    assert forms.core == "HIDAYAT"
    assert forms.core_first == "HIDAYAT"


def test_a_bare_common_name_has_no_core_so_it_never_becomes_a_blocking_key() -> None:
    assert normalise_name("Muhammad").core is None
    assert normalise_name("Siti").core_first is None


def test_nothing_left_is_none() -> None:
    assert normalise_name("H.").norm is None
    assert normalise_name(None).norm is None
    assert normalise_name("").norm is None


@pytest.mark.parametrize(("old", "new"), [("Djoko", "Joko"), ("Soekarno", "Sukarno"), ("Tjahjo", "Cahyo")])
def test_phonetic_key_merges_old_and_new_spelling(old: str, new: str) -> None:
    assert normalise_name(old).core_phon == normalise_name(new).core_phon


def test_phonetic_key_separates_different_names() -> None:
    assert normalise_name("Budi").core_phon != normalise_name("Joko").core_phon
