"""The password policy and the TOTP code check (no database)."""

from __future__ import annotations

import pyotp
import pytest

from jangkau.auth.secrets import common_passwords, password_problems, totp_step


@pytest.mark.parametrize(
    ("password", "role"),
    [
        ("password12", "admin"),  # too short for staff, and common
        ("password12", "worker"),  # long enough for a worker, but common
        ("bismillah123", "worker"),  # a common word with digits at the end
        ("!!Indonesia2026", "worker"),  # ... or symbols at the start
        ("sayangku123456", "branch_officer"),
        ("1234567890", "worker"),
        ("aaaaaaaaaaaa", "admin"),  # one character repeated
        ("pemkot.medan-2026", "region_officer"),  # contains the username
        ("short-one", "worker"),
    ],
)
def test_weak_passwords_are_refused(password: str, role: str) -> None:
    assert password_problems(password, "pemkot.medan", role)


def test_staff_need_twelve_characters_others_ten() -> None:
    assert password_problems("kopi-tubruk-7", "budi", "admin") == []  # 13
    assert password_problems("kopi-tubr7", "budi", "worker") == []  # 10
    assert password_problems("kopi-tubr7", "budi", "branch_officer") == [
        ("at least 12 characters", "minimal 12 karakter")
    ]
    assert password_problems("jangkau-demo-2026", "admin", "admin") == []  # the demo password stays valid


def test_the_shipped_list_holds_the_usual_suspects() -> None:
    listed = common_passwords()
    assert len(listed) > 300
    assert {"password", "123456", "qwerty", "bismillah", "indonesia", "sayang"} <= listed
    assert all(p == p.lower().strip() for p in listed)


def test_totp_codes_are_checked_and_not_replayed() -> None:
    secret = pyotp.random_base32()
    now = 1_800_000_000.0
    code = pyotp.TOTP(secret).at(now)
    step = totp_step(secret, code, None, at=now)
    assert step == pyotp.TOTP(secret).timecode(now)
    assert totp_step(secret, code, step, at=now) is None  # the same code twice
    assert totp_step(secret, pyotp.TOTP(secret).at(now - 30), None, at=now) == step - 1  # clock drift
    assert totp_step(secret, pyotp.TOTP(secret).at(now - 90), None, at=now) is None
    assert totp_step(secret, "12345", None, at=now) is None
