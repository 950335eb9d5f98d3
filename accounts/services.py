"""Every write to an account: keyword-only functions, each one transaction, called by the views,
the serializers' save(), the admin and management commands alike.

A service saves only the fields it changes, so a concurrent request that changes others is
never undone by it; a password is set under a lock on the row.
"""

from typing import Any

from allauth.account import app_settings as allauth_settings
from allauth.account.models import EmailAddress
from allauth.account.utils import setup_user_email
from django.conf import settings
from django.contrib.auth.signals import user_logged_in
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.http import HttpRequest
from django.utils import timezone
from rest_framework_simplejwt.exceptions import TokenError
from rest_framework_simplejwt.settings import api_settings
from rest_framework_simplejwt.token_blacklist.models import BlacklistedToken, OutstandingToken
from rest_framework_simplejwt.utils import datetime_from_epoch

from .models import LoginSession, User
from .tokens import SPENT, SessionRefreshToken, SpentTokenError, session_key

EMAIL_TAKEN = "A user with this email address already exists."
OLD_PASSWORD_WRONG = "Your old password was entered incorrectly. Please enter it again."


def user_register(
    *, request: HttpRequest | None, email: str, password: str, **profile: Any
) -> User:
    """Create an account with its email address on allauth's records (unconfirmed); `profile`
    holds the optional fields (first_name, last_name, phone, avatar)."""
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


def profile_update(*, user: User, request: HttpRequest | None = None, **changes: Any) -> User:
    """Apply validated changes to `user`, writing only the fields given.

    The row is locked while the change is made, so of simultaneous changes each sees the one
    before: an avatar replaced twice at once leaves one file, the last one stored. A new email
    becomes the account's only address on allauth's records.
    """
    if not changes:
        return user
    stored = None
    try:
        with transaction.atomic():
            stored = User.objects.select_for_update().values("email", "avatar").get(pk=user.pk)
            for field, value in changes.items():
                setattr(user, field, value)
            user.save(update_fields=list(changes))
            if "email" in changes and user.email != stored["email"]:
                email_address_replace(user=user, request=request)
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
    password were wrong.
    """
    with transaction.atomic():
        stored = User.objects.select_for_update().values_list("password", flat=True).get(pk=user.pk)
        if replacing is not None and stored != replacing:
            raise ValidationError({"old_password": OLD_PASSWORD_WRONG})
        user.set_password(password)
        user.save(update_fields=["password"])
        refresh_tokens_revoke(user=user)


@transaction.atomic
def refresh_tokens_revoke(*, user: User) -> int:
    """Revoke every refresh token `user` holds, and end their sessions; return how many tokens
    were still live."""
    LoginSession.objects.filter(user=user, ended_at=None).update(ended_at=timezone.now())
    live = OutstandingToken.objects.filter(user=user, blacklistedtoken__isnull=True)
    revoked = [BlacklistedToken(token=token) for token in live]
    BlacklistedToken.objects.bulk_create(revoked, ignore_conflicts=True)
    return len(revoked)


SESSION_ENDED = "The session has ended: log in again."


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
    refresh_tokens_revoke(user=user)
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


def _file_delete(name: str) -> None:
    User._meta.get_field("avatar").storage.delete(name)


def _avatar_discard(user: User, keep: str | None = None) -> None:
    """Delete the avatar file a failed write stored, if it stored one."""
    name = user.avatar.name if user.avatar else None
    if name and name != keep and getattr(user.avatar, "_committed", True):
        _file_delete(name)
