"""The named refusals of auth: each with a stable code, its HTTP status and a text in the catalog.

The classes that lived beside their callers (``Forbidden`` in ``principal``, ``NotAuthenticated`` and
``ApiCsrfFailed`` in ``deps``, ``LoginFailed`` and the second-factor refusals in ``service``, ``Throttled`` in
``throttle``) are defined here and still importable from those modules.
"""

from __future__ import annotations

from jangkau.errors import Conflict, FieldError, InvalidInput, JangkauError, NotFound
from jangkau.i18n import N_, bilingual, gettext


class Forbidden(JangkauError):
    """The user may not do this at all (HTTP 403). Data outside the user's scope is 404, not 403."""

    status = 403

    def __init__(self, message: str, message_id: str) -> None:
        super().__init__(message, message_id, "forbidden", 403)


class NotAuthenticated(JangkauError):
    """No valid credentials (HTTP 401). Pages turn this into a redirect to the login page."""

    status = 401

    def __init__(self, message: str = "", message_id: str = "") -> None:
        if not message:
            message, message_id = bilingual(N_("Sign in first, or your session has expired"))
        super().__init__(message, message_id, "not_authenticated", 401)


class ApiCsrfFailed(JangkauError):
    """A cookie-authenticated API call that changes something must carry ``X-Requested-With: jangkau`` (403).

    Browsers send cookies on cross-site requests but cannot add a custom header to them without a CORS
    preflight, which this app never grants; bearer-token calls are not affected.
    """

    status = 403

    def __init__(self) -> None:
        super().__init__(
            *bilingual(N_("Add the header X-Requested-With: jangkau to API calls made with a session cookie")),
            "csrf_failed",
            403,
        )


class LoginFailed(JangkauError):
    """Wrong username, password or second-factor code, or an inactive account (HTTP 401)."""

    status = 401

    def __init__(self, message: str, message_id: str, code: str = "login_failed") -> None:
        super().__init__(message, message_id, code, 401)


class SecondFactorRequired(JangkauError):
    """The account signs in with a TOTP code and none (or a malformed one) was sent (HTTP 401)."""

    status = 401

    def __init__(self) -> None:
        super().__init__(
            *bilingual(N_("This account needs the 6-digit code from the authenticator app (form field `totp`)")),
            "totp_required",
            401,
        )


class SecondFactorEnrolmentRequired(JangkauError):
    """The role must use a second factor and the user has not set one up yet (HTTP 403)."""

    status = 403

    def __init__(self) -> None:
        super().__init__(
            *bilingual(N_("Your role must sign in with a second factor: set it up first on /account/security")),
            "totp_enrolment_required",
            403,
        )


class Throttled(JangkauError):
    """Too many attempts in a window (HTTP 429); ``details.retry_after`` is the wait in seconds."""

    status = 429

    def __init__(self, retry_after: int) -> None:
        wait = max(1, retry_after)
        super().__init__(
            *bilingual(N_("Too many attempts: try again in %(wait)s seconds"), wait=wait),
            "too_many_requests",
            429,
            details={"retry_after": wait},
        )


class UserNotFound(NotFound):
    """No user account with this name or id."""

    def __init__(self, user: str | int) -> None:
        super().__init__(*bilingual(N_("User %(user)s not found"), user=user))


class SessionNotFound(NotFound):
    """None of the caller's page sessions has this id."""

    def __init__(self, session_id: int) -> None:
        super().__init__(*bilingual(N_("Session %(id)s not found"), id=session_id))


class TokenNotFound(NotFound):
    """None of the caller's API tokens has this id."""

    def __init__(self, token_id: int) -> None:
        super().__init__(*bilingual(N_("API token %(id)s not found"), id=token_id))


def _joined(errors: list[FieldError], lang: str) -> str:
    return "; ".join(f"{e.field}: {e.message if lang == 'en' else e.message_id or e.message}" for e in errors)


class AccountInvalid(InvalidInput):
    """A new account breaks a rule: bad username, short password, unknown scope region, an agent without a kind."""

    def __init__(self, errors: list[FieldError]) -> None:
        text = N_("The account has errors: %(errors)s")
        super().__init__(
            gettext(text, "en", errors=_joined(errors, "en")),
            gettext(text, "id", errors=_joined(errors, "en")),
            fields=errors,
        )


class PasswordNotChanged(InvalidInput):
    """A password change refused: the current password is wrong, or the new one is too weak."""

    def __init__(self, errors: list[FieldError]) -> None:
        text = N_("The password was not changed: %(errors)s")
        super().__init__(
            gettext(text, "en", errors=_joined(errors, "en")),
            gettext(text, "id", errors=_joined(errors, "en")),
            fields=errors,
        )


class UsernameTaken(Conflict):
    """Another account has this username."""

    def __init__(self, username: str) -> None:
        super().__init__(*bilingual(N_("Username %(username)s is taken"), username=username))


class SecondFactorActive(Conflict):
    """The second factor is already set up; an administrator resets it first."""

    def __init__(self) -> None:
        super().__init__(*bilingual(N_("The second factor is already active; an administrator can reset it")))


class WrongTotpCode(InvalidInput):
    """The authenticator code does not match (or no set-up was started)."""

    def __init__(self) -> None:
        text = N_("wrong code: type the 6 digits the authenticator app shows now")
        en, id_ = bilingual(text)
        super().__init__(f"code: {en}", f"code: {id_}", fields=[FieldError("code", en, id_)])


class NotAChoice(InvalidInput):
    """A command-line option that is not one of its choices."""

    def __init__(self, field: str, value: str, known: str) -> None:
        en = f"{value!r} is not one of: {known}"
        id_ = gettext(N_("choices: %(known)s"), "id", known=known)
        super().__init__(f"{field}: {en}", f"{field}: {id_}", fields=[FieldError(field, en, id_)])


class OwnAccountChange(Conflict):
    """An administrator may not deactivate their own account or take away their own administrator role (the
    office would lose its way in); another administrator does it."""

    def __init__(self) -> None:
        super().__init__(
            *bilingual(N_("You cannot deactivate your own account or change your own role: ask another administrator"))
        )


class ResetLinkInvalid(NotFound):
    """A one-time password link that does not exist, was used, expired or was replaced by a newer one."""

    def __init__(self) -> None:
        super().__init__(
            *bilingual(
                N_(
                    "This password link is not valid any more: it was used, it expired or a newer one replaced it. "
                    "Ask your administrator for a new link."
                )
            )
        )
