"""Password hashing (Argon2id), API tokens (random, stored as SHA-256) and signed session cookies."""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError
from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer

_HASHER = PasswordHasher()
TOKEN_PREFIX = "jk_"
MIN_PASSWORD_LENGTH = 10


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


class SessionSigner:
    """Signs the session cookie: user id, the user's session version (bumped on logout) and a CSRF token."""

    def __init__(self, secret: str, max_age_seconds: int) -> None:
        self._serializer = URLSafeTimedSerializer(secret, salt="jangkau-session")
        self.max_age = max_age_seconds

    def dumps(self, data: SessionData) -> str:
        return self._serializer.dumps({"u": data.user_id, "v": data.version, "c": data.csrf})

    def loads(self, cookie: str) -> SessionData | None:
        """The session in the cookie, or ``None`` if it is forged, malformed or expired."""
        try:
            raw = self._serializer.loads(cookie, max_age=self.max_age)
        except (BadSignature, SignatureExpired):
            return None
        if not isinstance(raw, dict):
            return None
        try:
            return SessionData(int(raw["u"]), int(raw["v"]), str(raw["c"]))
        except (KeyError, TypeError, ValueError):
            return None


def new_csrf_token() -> str:
    return secrets.token_urlsafe(24)
