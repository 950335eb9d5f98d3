"""Every write to an account: keyword-only functions, each one transaction, called by the views,
the serializers' save(), the admin and management commands alike.

A service saves only the fields it changes, so a concurrent request that changes others is
never undone by it; a password is set under a lock on the row.
"""

from datetime import timedelta
from typing import Any

from allauth.account import app_settings as allauth_settings
from allauth.account.adapter import get_adapter
from allauth.account.models import EmailAddress
from allauth.account.utils import setup_user_email
from dj_rest_auth.mfa.models import Authenticator
from dj_rest_auth.mfa.recovery_codes import RecoveryCodes
from dj_rest_auth.mfa.totp import TOTP
from django.conf import settings
from django.contrib.auth.signals import user_logged_in
from django.core import signing
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from rest_framework_simplejwt.exceptions import TokenError
from rest_framework_simplejwt.settings import api_settings
from rest_framework_simplejwt.token_blacklist.models import BlacklistedToken, OutstandingToken
from rest_framework_simplejwt.utils import datetime_from_epoch

from restkit.exceptions import throttled
from restkit.throttling import check_password_counted

from .mfa import (
    MFA_MAX_FAILED_CODES,
    challenge_id,
    challenge_token,
    mfa_enabled,
    token_lifetime,
    totp_time_step,
)
from .models import LoginSession, MfaChallenge, User
from .tokens import SESSION_ENDED, SPENT, SessionRefreshToken, SpentTokenError, session_key

EMAIL_TAKEN = _("A user with this email address already exists.")
OLD_PASSWORD_WRONG = _("Your old password was entered incorrectly. Please enter it again.")
EMAIL_TAKEN_MEANWHILE = _(
    "Another account has taken this address since the change was asked for: nothing was changed."
)


def email_verification_mandatory() -> bool:
    """Whether an address must be confirmed before it logs in (ACCOUNT_EMAIL_VERIFICATION)."""
    method = allauth_settings.EMAIL_VERIFICATION
    return bool(method == allauth_settings.EmailVerificationMethod.MANDATORY)


def user_register(
    *, request: HttpRequest | None, email: str, password: str, **profile: Any
) -> User:
    """Create an account with its email address on allauth's records (unconfirmed); `profile`
    holds the optional fields (first_name, last_name, phone, avatar, language)."""
    user = User(email=email, **profile)
    user.set_password(password)
    try:
        with transaction.atomic():
            user.save()
            setup_user_email(request, user, [])  # type: ignore[arg-type]  # None works here
    except BaseException as exc:
        _avatar_discard(user)  # the account was not made: no file of it stays in storage
        if isinstance(exc, IntegrityError):  # a concurrent sign-up with the same address won
            raise ValidationError({"email": EMAIL_TAKEN}) from exc
        raise
    return user


def user_register_attempt_on_taken_address(
    *, request: HttpRequest | None, email: str, password: str
) -> None:
    """A sign-up with an address that already has an account, when verification is mandatory:
    nothing is stored, the owner is mailed, and the caller answers as for a new address.

    The password is hashed all the same, so that the answer takes as long as a real sign-up's.
    """
    User().set_password(password)
    get_adapter(request).send_mail("account/email/account_already_exists", email, {"email": email})


def profile_update(*, user: User, request: HttpRequest | None = None, **changes: Any) -> User:
    """Apply validated changes to `user`, writing only the fields given.

    The row is locked while the change is made, so of simultaneous changes each sees the one
    before: an avatar replaced twice at once leaves one file, the last one stored. A new email
    becomes the account's only address on allauth's records, and the old address is told; with
    mandatory verification it only becomes the account's once confirmed (email_change_request).
    """
    if not changes:
        return user
    stored = None
    try:
        with transaction.atomic():
            stored = User.objects.select_for_update().values("email", "avatar").get(pk=user.pk)
            old_email = stored["email"]
            new_email = changes.get("email", old_email)
            if new_email != old_email and email_verification_mandatory():
                del changes["email"]  # user.email stays the old one until the new is confirmed
                email_change_request(user=user, email=new_email, request=request)
            for field, value in changes.items():
                setattr(user, field, value)
            user.save(update_fields=list(changes))
            if "email" in changes and user.email != old_email:
                email_address_replace(user=user, request=request)
                _email_change_notify(
                    user=user, old_email=old_email, new_email=user.email, pending=False
                )
            replaced = stored["avatar"]
            if "avatar" in changes and replaced and replaced != user.avatar.name:
                transaction.on_commit(lambda: _file_delete(replaced))
    except BaseException as exc:
        _avatar_discard(user, keep=stored and stored["avatar"])
        if isinstance(exc, IntegrityError):  # another request took the address meanwhile
            raise ValidationError({"email": EMAIL_TAKEN}) from exc
        raise
    return user


def avatar_remove(*, user: User) -> None:
    """Remove the avatar; its file is deleted once that is stored."""
    profile_update(user=user, avatar=None)


def password_set(*, user: User, password: str, replacing: str | None = None) -> None:
    """Set a new password and end every refresh token of the account (the access tokens end with
    the old password's hash, which they carry).

    `replacing` is the password hash the caller checked the old password against: of
    simultaneous changes only the first finds it still stored, the others fail as if their old
    password were wrong. A pending change of email (email_change_request) is cancelled: the
    notice of one tells an owner who did not ask for it to reset the password.
    """
    with transaction.atomic():
        stored = User.objects.select_for_update().values_list("password", flat=True).get(pk=user.pk)
        if replacing is not None and stored != replacing:
            raise ValidationError({"old_password": OLD_PASSWORD_WRONG})
        user.set_password(password)
        user.save(update_fields=["password"])
        sign_out_everywhere(user=user)
        EmailAddress.objects.filter(user=user, primary=False, verified=False).delete()


@transaction.atomic
def sign_out_everywhere(*, user: User) -> int:
    """End every session of `user`: each refresh token is revoked, its login session ended, and
    each browser session signed out (`user` then holds the new session generation, with which
    the caller may keep its own browser in: update_session_auth_hash). Return how many refresh
    tokens were still live."""
    User.objects.filter(pk=user.pk).update(session_generation=F("session_generation") + 1)
    user.refresh_from_db(fields=["session_generation"])
    LoginSession.objects.filter(user=user, ended_at=None).update(ended_at=timezone.now())
    live = OutstandingToken.objects.filter(user=user, blacklistedtoken__isnull=True)
    revoked = [BlacklistedToken(token=token) for token in live]
    BlacklistedToken.objects.bulk_create(revoked, ignore_conflicts=True)
    return len(revoked)


def user_login_record(*, user: User, request: HttpRequest) -> None:
    """Record a login through the API as Django's login() does: `last_login`, by Django's own
    receiver of the signal, and whatever else listens to it."""
    user_logged_in.send(sender=type(user), request=request, user=user)


@transaction.atomic
def login_session_start(*, user: User) -> SessionRefreshToken:
    """Start a session for `user` (a login or a sign-up); return its first refresh token."""
    session = LoginSession.objects.create(user=user)
    token = SessionRefreshToken.for_session(session)
    token.outstand()
    return token


def refresh_token_rotate(*, refresh: str) -> SessionRefreshToken:
    """Spend the refresh token `refresh` and return the next one of its session.

    Raises TokenError if it is invalid, expired or spent, or its session has ended; of
    simultaneous requests spending one token exactly one gets past the blacklist insert. A token
    spent before is a reuse: see `_spent_token_presented`.
    """
    token = _unspent(refresh)
    with transaction.atomic():
        session = _live_session_locked(token)
        spent, spent_now = token.spend()
        if spent_now:
            token.renew(session)
            token.outstand()
            return token
    _spent_token_presented(session_id=token.session_id, spent_at=spent.blacklisted_at)
    raise TokenError(SPENT)


def refresh_token_spend(*, refresh: str) -> None:
    """Log out: spend the refresh token `refresh` and end its session. Raises TokenError as
    refresh_token_rotate does."""
    token = _unspent(refresh)
    with transaction.atomic():
        session = _live_session_locked(token)
        spent, spent_now = token.spend()
        if spent_now:
            session.ended_at = timezone.now()
            session.save(update_fields=["ended_at"])
            return
    _spent_token_presented(session_id=token.session_id, spent_at=spent.blacklisted_at)
    raise TokenError(SPENT)


def login_session_end(*, session_id: str) -> bool:
    """End the session: none of its refresh tokens is accepted after. Returns whether it was
    live until now."""
    key = session_key(session_id)
    if key is None:
        return False
    return bool(LoginSession.objects.filter(pk=key, ended_at=None).update(ended_at=timezone.now()))


MFA_ALREADY_ON = _("Two-factor login is already on: turn it off before setting it up again.")
MFA_OFF = _("Two-factor login is not on.")
MFA_CODE_WRONG = _("The code is not correct.")
MFA_LOGIN_ENDED = _(
    "This login has expired or was already completed: log in again with your password."
)
MFA_TOO_MANY_CODES = _("Too many wrong codes for this login: log in again with your password.")


def mfa_enable(*, user: User, secret: str, time_step: int) -> list[str]:
    """Turn two-factor login on with the TOTP `secret` whose code of `time_step` the user just
    gave (that code cannot log in after); return the new recovery codes, shown this once. Every
    refresh token issued before ends: the next login asks for a code. The owner is mailed."""
    with transaction.atomic():
        User.objects.select_for_update().filter(pk=user.pk).first()  # one set-up at a time
        if mfa_enabled(user):
            raise ValidationError(MFA_ALREADY_ON)
        authenticator = TOTP.activate(user, secret)
        authenticator.data["last_step"] = time_step
        authenticator.save(update_fields=["data"])
        codes = RecoveryCodes.activate(user)
        sign_out_everywhere(user=user)
        _mfa_change_notify(user=user, enabled=True)
    return list(codes)


@transaction.atomic
def mfa_disable(*, user: User) -> None:
    """Turn two-factor login off (the caller checked a code): the secret, the recovery codes and
    the logins waiting for a code go. The owner is mailed."""
    User.objects.select_for_update().filter(pk=user.pk).first()
    if not mfa_enabled(user):
        raise ValidationError(MFA_OFF)
    TOTP.deactivate(user)
    RecoveryCodes.deactivate(user)
    MfaChallenge.objects.filter(user=user).delete()
    _mfa_change_notify(user=user, enabled=False)


@transaction.atomic
def recovery_codes_regenerate(*, user: User) -> list[str]:
    """New recovery codes for `user` (the caller checked a TOTP code); the old ones stop working."""
    User.objects.select_for_update().filter(pk=user.pk).first()
    if not mfa_enabled(user):
        raise ValidationError(MFA_OFF)
    return list(RecoveryCodes.activate(user))


def mfa_code_use(*, user: User, code: str, recovery: bool = True) -> bool:
    """Spend a code of `user`: a current TOTP code not used before, or, when `recovery`, an
    unused recovery code. Returns whether one was."""
    if totp_code_use(user=user, code=code):
        return True
    return recovery and bool(RecoveryCodes.validate_code(user, code))


@transaction.atomic
def totp_code_use(*, user: User, code: str) -> bool:
    """Spend a TOTP code: it passes if it is of a later time step than the last code used (under
    a lock on the row, so of simultaneous requests with one code exactly one passes)."""
    authenticator = (
        Authenticator.objects.select_for_update()
        .filter(user=user, type=Authenticator.Type.TOTP)
        .first()
    )
    secret = TOTP.get_secret(user) if authenticator else None
    step = totp_time_step(secret, code) if secret else None
    if authenticator is None or step is None or step <= authenticator.data.get("last_step", -1):
        return False
    authenticator.data["last_step"] = step
    authenticator.last_used_at = timezone.now()
    authenticator.save(update_fields=["data", "last_used_at"])
    return True


@transaction.atomic
def mfa_challenge_start(*, user: User) -> str:
    """A login's password was right and `user` has two-factor login: return the ephemeral token
    that its code must come with (the user's expired challenges are deleted meanwhile)."""
    expired = timezone.now() - timedelta(seconds=token_lifetime())
    MfaChallenge.objects.filter(user=user, created_at__lt=expired).delete()
    return challenge_token(MfaChallenge.objects.create(user=user).pk)


def mfa_challenge_complete(*, request: Any, token: str, code: str) -> User:
    """The user whose login the ephemeral `token` continues, if `code` is one of theirs.

    The token works once, MFA_EPHEMERAL_TOKEN_TIMEOUT seconds at most; its challenge is locked
    while the code is checked, so of simultaneous tries only one can succeed. A wrong code counts
    against the token (after MFA_MAX_FAILED_CODES, 429) and against the account's login limits
    (restkit.throttling, 429 when spent): raises Throttled or ValidationError.
    """
    try:
        key = session_key(challenge_id(token))
    except signing.BadSignature:  # SignatureExpired included
        key = None
    with transaction.atomic():
        challenge = (
            MfaChallenge.objects.select_for_update(of=("self",))
            .select_related("user")
            .filter(pk=key, used_at=None)
            .first()
            if key
            else None
        )
        if challenge is None or not challenge.user.is_active:
            raise ValidationError({"ephemeral_token": MFA_LOGIN_ENDED})
        if challenge.failed_attempts >= MFA_MAX_FAILED_CODES:
            ends = challenge.created_at + timedelta(seconds=token_lifetime())
            wait = max(1.0, (ends - timezone.now()).total_seconds())
            raise throttled(wait, MFA_TOO_MANY_CODES)
        user = challenge.user
        right = check_password_counted(
            request, email=user.email, check=lambda: mfa_code_use(user=user, code=code)
        )
        if right:
            challenge.used_at = timezone.now()
            challenge.save(update_fields=["used_at"])
        else:
            challenge.failed_attempts += 1
            challenge.save(update_fields=["failed_attempts"])
    if not right:  # after the commit: the count stays
        raise ValidationError({"code": MFA_CODE_WRONG})
    return user


def _mfa_change_notify(*, user: User, enabled: bool) -> None:
    """Mail the account's address, once the change is stored, that two-factor login was turned
    on or off: a stolen session must not change it silently."""
    context = {"user": user, "email": user.email, "enabled": enabled, "when": timezone.now()}
    transaction.on_commit(
        lambda: get_adapter().send_mail("account/email/mfa_changed", user.email, context)
    )


def _unspent(refresh: str) -> SessionRefreshToken:
    """The refresh token, checked (signature, expiry, type) and not spent yet."""
    try:
        return SessionRefreshToken(refresh)  # type: ignore[arg-type]  # a str, as simplejwt's views pass
    except SpentTokenError as exc:
        _spent_token_presented(session_id=exc.session_id, spent_at=exc.spent_at)
        raise


def _spent_token_presented(*, session_id: str | None, spent_at: Any) -> None:
    """A spent token was presented again: whoever holds the session's newer tokens may be a
    thief, so the session ends (RFC 9700, 4.14.2). A token spent within JWT_REUSE_GRACE is
    refused without that: it is the loser of simultaneous refreshes by one client (a retry, two
    tabs), and the winner keeps the session."""
    if session_id is not None and spent_at <= timezone.now() - settings.JWT_REUSE_GRACE:
        login_session_end(session_id=session_id)


def _live_session_locked(token: SessionRefreshToken) -> LoginSession:
    """The token's session, locked until the transaction ends so that ending it and rotating its
    token happen one after the other; raises TokenError if it has ended."""
    if token.session_id is None:
        # Issued before sessions existed: its session starts when the token was issued.
        user_id = token.payload[api_settings.USER_ID_CLAIM]
        issued = datetime_from_epoch(token.payload["iat"])
        return LoginSession.objects.create(user_id=user_id, started_at=issued)
    key = session_key(token.session_id)
    session = LoginSession.objects.select_for_update().filter(pk=key).first() if key else None
    if session is None or not session.is_live():
        raise TokenError(SESSION_ENDED)
    return session


@transaction.atomic
def account_delete(*, user: User) -> None:
    """Delete the account: its memberships go with it, its avatar file is removed once the
    transaction commits, and the organizations it created stay, without a creator."""
    sign_out_everywhere(user=user)
    avatar = user.avatar.name
    user.delete()
    if avatar:
        transaction.on_commit(lambda: _file_delete(avatar))


@transaction.atomic
def email_address_replace(*, user: User, request: HttpRequest | None = None) -> None:
    """Make `user.email`, just changed, the account's only address in allauth's records.

    Login and password reset look addresses up there too: an old address left behind would still
    log in and receive the account's reset links. The new address starts unverified; when
    verification is on, it is sent a confirmation, which mandatory verification requires before
    the next login (the tokens already held keep working, so a mistyped address can be fixed).
    """
    EmailAddress.objects.filter(user=user).delete()
    address = EmailAddress.objects.create(user=user, email=user.email, primary=True)
    if allauth_settings.EMAIL_VERIFICATION != allauth_settings.EmailVerificationMethod.NONE:
        transaction.on_commit(lambda: address.send_confirmation(request))


@transaction.atomic
def email_change_request(*, user: User, email: str, request: HttpRequest | None = None) -> None:
    """Ask to move the account to `email`, under mandatory verification: the address is recorded
    as pending (unverified, not primary) and sent a confirmation; user.email, which logs in and
    which the directory shows, stays as it is until email_change_confirm.

    A pending address neither logs in nor receives password resets (accounts.backends,
    accounts.forms); a new request replaces the one before, whose link then stops working.
    """
    EmailAddress.objects.filter(user=user).exclude(email=user.email).delete()
    address = EmailAddress.objects.create(user=user, email=email, primary=False, verified=False)
    transaction.on_commit(lambda: address.send_confirmation(request))
    _email_change_notify(user=user, old_email=user.email, new_email=email, pending=True)


def email_change_confirm(*, address: EmailAddress) -> User:
    """Make a pending address (email_change_request), confirmed by the link mailed to it, the
    account's email and its only address; fail, changing nothing, if another account took the
    address meanwhile."""
    try:
        with transaction.atomic():
            user = User.objects.select_for_update().get(pk=address.user_id)
            pending = EmailAddress.objects.filter(pk=address.pk, user=user, verified=False)
            taken = User.objects.filter(email=address.email).exclude(pk=user.pk).exists() or (
                EmailAddress.objects.filter(email=address.email, verified=True).exists()
            )
            if not pending.exists() or taken:
                raise ValidationError({"key": EMAIL_TAKEN_MEANWHILE})
            user.email = address.email
            user.save(update_fields=["email"])
            EmailAddress.objects.filter(user=user).exclude(pk=address.pk).delete()
            pending.update(verified=True, primary=True)
    except IntegrityError as exc:  # a sign-up with the address won the race
        raise ValidationError({"key": EMAIL_TAKEN_MEANWHILE}) from exc
    return user


def _email_change_notify(*, user: User, old_email: str, new_email: str, pending: bool) -> None:
    """Mail the old address, once the change is stored, that the account's email was changed
    (or, `pending`, that a change was asked for): a stolen session must not move an account
    silently."""
    context = {
        "user": user,  # the recipient: the mail is in their language (accounts.adapter)
        "old_email": old_email,
        "new_email": _email_masked(new_email),
        "when": timezone.now(),
        "pending": pending,
    }
    transaction.on_commit(
        lambda: get_adapter().send_mail("account/email/email_changed", old_email, context)
    )


def _email_masked(email: str) -> str:
    """ann.lee@example.com as a***@example.com: enough for the owner to recognise an address."""
    local, _, domain = email.rpartition("@")
    return f"{local[:1]}***@{domain}"


def _file_delete(name: str) -> None:
    User._meta.get_field("avatar").storage.delete(name)


def _avatar_discard(user: User, keep: str | None = None) -> None:
    """Delete the avatar file a failed write stored, if it stored one."""
    name = user.avatar.name if user.avatar else None
    if name and name != keep and getattr(user.avatar, "_committed", True):
        _file_delete(name)
