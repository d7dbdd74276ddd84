"""Password hashing (Argon2id) and policy, API tokens (random, stored as SHA-256), signed session cookies, TOTP."""

from __future__ import annotations

import hashlib
import secrets
import string
import time
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

import pyotp
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError
from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer

from jangkau.i18n import N_, bilingual

_HASHER = PasswordHasher()
TOKEN_PREFIX = "jk_"
MIN_PASSWORD_LENGTH = 10
MIN_STAFF_PASSWORD_LENGTH = 12
STAFF_ROLES = frozenset({"admin", "branch_officer", "region_officer", "opd_officer", "rules_admin"})
_EDGES = string.digits + string.punctuation + " "
TOTP_ISSUER = "Jangkau"


def hash_password(password: str) -> str:
    return _HASHER.hash(password)


def verify_password(password_hash: str, password: str) -> bool:
    try:
        return _HASHER.verify(password_hash, password)
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return False


def new_api_token() -> tuple[str, str]:
    """A fresh token and its hash: the token is shown once, only the hash is stored."""
    token = TOKEN_PREFIX + secrets.token_urlsafe(32)
    return token, token_hash(token)


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


@dataclass(frozen=True)
class SessionData:
    user_id: int
    version: int
    csrf: str
    session_id: int  # the UserSession row (a cookie without one, from before sessions were listed, is refused)


class SessionSigner:
    """Signs the session cookie: user id, the user's session version (bumped on logout) and a CSRF token."""

    def __init__(self, secret: str, max_age_seconds: int) -> None:
        self._serializer = URLSafeTimedSerializer(secret, salt="jangkau-session")
        self.max_age = max_age_seconds

    def dumps(self, data: SessionData) -> str:
        return self._serializer.dumps({"u": data.user_id, "v": data.version, "c": data.csrf, "s": data.session_id})

    def loads(self, cookie: str) -> SessionData | None:
        """The session in the cookie, or ``None`` if it is forged, malformed or expired."""
        try:
            raw = self._serializer.loads(cookie, max_age=self.max_age)
        except (BadSignature, SignatureExpired):
            return None
        if not isinstance(raw, dict):
            return None
        try:
            return SessionData(int(raw["u"]), int(raw["v"]), str(raw["c"]), int(raw["s"]))
        except (KeyError, TypeError, ValueError):
            return None


class PendingSignIn:
    """The page's two-step sign-in: after a right password, a signed note (user id, session version) that the
    TOTP step accepts for a few minutes; it grants nothing by itself."""

    def __init__(self, secret: str, max_age_seconds: int = 300) -> None:
        self._serializer = URLSafeTimedSerializer(secret, salt="jangkau-login-totp")
        self.max_age = max_age_seconds

    def dumps(self, user_id: int, version: int) -> str:
        return self._serializer.dumps({"u": user_id, "v": version})

    def loads(self, value: str) -> tuple[int, int] | None:
        """(user id, session version), or ``None`` if forged, malformed or older than ``max_age``."""
        try:
            raw = self._serializer.loads(value, max_age=self.max_age)
            return int(raw["u"]), int(raw["v"])
        except (BadSignature, SignatureExpired, KeyError, TypeError, ValueError):
            return None


def new_csrf_token() -> str:
    return secrets.token_urlsafe(24)


@lru_cache(maxsize=1)
def common_passwords() -> frozenset[str]:
    """The shipped list of common and breached-style passwords (``auth/data/common_passwords.txt``)."""
    text = resources.files("jangkau.auth").joinpath("data/common_passwords.txt").read_text(encoding="utf-8")
    return frozenset(line.strip() for line in text.splitlines() if line.strip() and not line.startswith("#"))


def min_password_length(role: str) -> int:
    """12 characters for staff roles, 10 for the others."""
    return MIN_STAFF_PASSWORD_LENGTH if role in STAFF_ROLES else MIN_PASSWORD_LENGTH


def password_problems(password: str, username: str, role: str) -> list[tuple[str, str]]:
    """What is wrong with a new password, as (English, Bahasa Indonesia) pairs; empty when it is acceptable.

    Refused: shorter than :func:`min_password_length`; a common password, also with digits or symbols added at
    either end ("bismillah123!", "123password"); one character repeated; a password containing the username.
    """
    problems: list[tuple[str, str]] = []
    length = min_password_length(role)
    if len(password) < length:
        problems.append(bilingual(N_("at least %(length)s characters"), length=length))
    lowered = password.lower()
    core = lowered.strip(_EDGES)
    if lowered in common_passwords() or core in common_passwords() or not core or len(set(lowered)) <= 2:
        problems.append(bilingual(N_("too common or too easy to guess: choose another")))
    name = username.strip().lower()
    if len(name) >= 3 and name in lowered:
        problems.append(bilingual(N_("must not contain the username")))
    return problems


def new_totp_secret() -> str:
    return pyotp.random_base32()


def totp_uri(secret: str, username: str) -> str:
    """The ``otpauth://`` address an authenticator app reads (typed in, or scanned from a QR code)."""
    return pyotp.TOTP(secret).provisioning_uri(name=username, issuer_name=TOTP_ISSUER)


def qr_svg_data_uri(text: str) -> str:
    """``text`` as a QR code, an SVG ``data:`` URI for an ``<img>`` (the enrolment page's otpauth address)."""
    import segno

    uri: str = segno.make(text, error="m").svg_data_uri(scale=4, border=2)
    return uri


def totp_step(secret: str, code: str, after_step: int | None, at: float | None = None) -> int | None:
    """The 30-second time step a 6-digit ``code`` belongs to (this one or the one before or after, for clock
    drift), or ``None`` when it is wrong or was already used (a step not after ``after_step``)."""
    code = code.strip().replace(" ", "")
    if len(code) != 6 or not code.isdigit():
        return None
    totp = pyotp.TOTP(secret)
    now = time.time() if at is None else at
    step = totp.timecode(now)
    for candidate in (step, step - 1, step + 1):
        if after_step is not None and candidate <= after_step:
            continue
        if secrets.compare_digest(totp.generate_otp(candidate), code):
            return candidate
    return None
