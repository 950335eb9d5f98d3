"""The API in Russian: a request with `Accept-Language: ru` is answered in Russian, every message
of it (the product's own and the libraries'), with no English sentence left; the same request in
English, or without the header, is answered as before."""

import io
import json
import re
from collections.abc import Iterator

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import translation
from rest_framework.test import APIClient
from rest_framework_simplejwt.tokens import RefreshToken

from accounts.models import User
from orgs.models import Organization
from restkit.exceptions import throttled_detail
from tests.clients import client_for
from tests.factories import PASSWORD, OrganizationFactory, UserFactory

pytestmark = pytest.mark.django_db

RU = {"HTTP_ACCEPT_LANGUAGE": "ru"}
EN = {"HTTP_ACCEPT_LANGUAGE": "en"}
CYRILLIC = re.compile(r"[а-яё]", re.IGNORECASE)
# Two Latin words in a row: a sentence left in English. Code in backticks, URLs, addresses and
# the names of fields or headers (one word, with _ or -) are not sentences.
# (Capitalised or lowercase words: JPEG, PNG or WebP are names.)
ENGLISH_WORDS = re.compile(r"\b[A-Za-z][a-z]+[\s,.:;]+[A-Za-z][a-z]+\b")
NOT_PROSE = re.compile(
    r"`[^`]*`|https?://\S+|\S+@\S+|\b[\w.-]*[_\d][\w.-]*\b|\bJSON\b|\bE\.164\b"
    r"|\b(?:json|api|xml)\b"  # format names (?format=)
)
MACHINE_KEYS = {"code", "token_class", "token_type"}  # values for programs, never translated


def messages(body) -> Iterator[str]:
    """Every text a person reads in a JSON answer: the values, not the keys or the codes."""
    if isinstance(body, dict):
        for key, value in body.items():
            if key not in MACHINE_KEYS or not isinstance(value, str):  # a field named `code`
                yield from messages(value)
    elif isinstance(body, list):
        for item in body:
            yield from messages(item)
    elif isinstance(body, str):
        yield body


def assert_russian_text(text):
    prose = NOT_PROSE.sub(" ", text)
    assert CYRILLIC.search(prose), f"no Russian in {text!r}"
    assert not ENGLISH_WORDS.search(prose), f"English left in {text!r}"


def assert_russian(body):
    found = list(messages(body))
    assert found, body
    for text in found:
        assert_russian_text(text)


def assert_english(body):
    found = list(messages(body))
    assert found, body
    for text in found:
        assert not CYRILLIC.search(text), text


def in_languages(send):
    """The answers to the same request in Russian, in English and without Accept-Language,
    checked: Russian, English, and the English one as a client that does not say gets it."""
    russian, english, default = send(RU), send(EN), send({})
    assert russian.status_code == english.status_code == default.status_code
    assert russian["Content-Language"] == "ru"
    assert english["Content-Language"] == default["Content-Language"] == "en"
    assert "Accept-Language" in russian["Vary"]
    assert_russian(russian.json())
    assert_english(english.json())
    assert english.json() == default.json()
    return russian, english


# --- A validation error of each writable endpoint. -------------------------------------------


@pytest.fixture
def world(user):
    """`user`'s bearer client; `user` created `org` and belongs to it."""
    org = OrganizationFactory(name="Acme", created_by=user, owner=user)
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {RefreshToken.for_user(user).access_token}")
    return {"client": client, "anon": APIClient(), "org": org, "user": user}


def image_upload(content=b"not an image"):
    upload = io.BytesIO(content)
    upload.name = "avatar.png"
    return {"avatar": upload}


# (name, who sends, method, URL (with {org}), body, format): each refused with a 400.
INVALID = [
    ("register-empty", "anon", "post", "/api/register/", {}, "json"),
    (
        "register-weak-password",
        "anon",
        "post",
        "/api/register/",
        {"email": "new@example.com", "password": "12345678"},
        "json",
    ),
    ("register-bad-phone", "anon", "post", "/api/register/", {"phone": "call me"}, "json"),
    ("login-empty", "anon", "post", "/api/login/", {}, "json"),
    ("login-malformed-json", "anon", "post", "/api/login/", "{", "raw"),
    (
        "login-second-factor",
        "anon",
        "post",
        "/api/login/mfa/",
        {"ephemeral_token": "not-a-token", "code": "123456"},
        "json",
    ),
    ("mfa-activate", "client", "post", "/api/mfa/totp/activate/", {}, "json"),
    ("mfa-deactivate", "client", "post", "/api/mfa/totp/deactivate/", {"code": "1"}, "json"),
    ("mfa-regenerate", "client", "post", "/api/mfa/recovery-codes/regenerate/", {}, "json"),
    ("token-refresh", "anon", "post", "/api/token/refresh/", {}, "json"),
    ("token-verify", "anon", "post", "/api/token/verify/", {}, "json"),
    ("logout", "anon", "post", "/api/logout/", {}, "json"),
    (
        "password-change",
        "client",
        "post",
        "/api/password/change/",
        {"old_password": "wrong", "new_password1": "abc", "new_password2": "abd"},
        "json",
    ),
    ("password-reset", "anon", "post", "/api/password/reset/", {"email": "nobody"}, "json"),
    (
        "password-reset-confirm",
        "anon",
        "post",
        "/api/password/reset/confirm/",
        {"uid": "x", "token": "y", "new_password1": "a", "new_password2": "b"},
        "json",
    ),
    ("verify-email", "anon", "post", "/api/register/verify-email/", {}, "json"),
    ("resend-email", "anon", "post", "/api/register/resend-email/", {}, "json"),
    ("profile-put", "client", "put", "/api/profile/", {}, "json"),
    (
        "profile-patch",
        "client",
        "patch",
        "/api/profile/",
        {"phone": "call me", "language": "de", "organizations": [999999]},
        "json",
    ),
    (
        "profile-email-without-password",
        "client",
        "patch",
        "/api/profile/",
        {"email": "moved@example.com"},
        "json",
    ),
    ("account-delete", "client", "delete", "/api/profile/", {"password": "wrong"}, "json"),
    ("avatar-upload", "client", "put", "/api/profile/avatar/", image_upload, "multipart"),
    ("organization-create", "client", "post", "/api/organizations/", {"name": ""}, "json"),
    (
        "organization-taken-name",
        "client",
        "post",
        "/api/organizations/",
        {"name": "ACME"},
        "json",
    ),
    (
        "organization-put",
        "client",
        "put",
        "/api/organizations/{org}/",
        {"name": "\u200b"},
        "json",
    ),
    (
        "organization-patch",
        "client",
        "patch",
        "/api/organizations/{org}/",
        {"description": "x" * 501},
        "json",
    ),
    (
        "member-role",
        "client",
        "patch",
        "/api/organizations/{org}/users/{user}/",
        {"role": "king"},
        "json",
    ),
    (
        "invite",
        "client",
        "post",
        "/api/organizations/{org}/invitations/",
        {"email": "not an address", "role": "owner"},
        "json",
    ),
    ("invitation-accept", "client", "post", "/api/invitations/accept/", {"token": "1.x"}, "json"),
    ("invitation-decline", "client", "post", "/api/invitations/decline/", {}, "json"),
    ("join", "client", "post", "/api/organizations/{org}/users/", "[]", "raw"),
    ("leave", "client", "delete", "/api/organizations/{org}/users/{user}/", "[]", "raw"),
    (
        "search",
        "client",
        "get",
        "/api/users/",
        {"search": "ab", "ordering": "password"},
        "query",
    ),
]


def send(world, who, method, url, body, body_format, headers):
    client = world[who]
    url = url.format(org=world["org"].pk, user=world["user"].pk)
    if body_format == "raw":
        return client.generic(method.upper(), url, body, "application/json", **headers)
    if body_format == "query":
        return client.get(url, body, **headers)
    data = body() if callable(body) else body
    return getattr(client, method)(url, data, format=body_format, **headers)


@pytest.mark.parametrize(
    ("who", "method", "url", "body", "body_format"),
    [pytest.param(*case[1:], id=case[0]) for case in INVALID],
)
def test_a_validation_error_is_in_the_language_asked_for(
    world, who, method, url, body, body_format
):
    russian, english = in_languages(
        lambda headers: send(world, who, method, url, body, body_format, headers)
    )

    assert russian.status_code == 400
    assert russian.json().keys() == english.json().keys()  # the same fields, in other words


def test_the_libraries_messages_are_in_russian_too(world):
    """Django's password validators, DRF's fields, django-phonenumber-field and dj-rest-auth."""
    register = world["anon"].post(
        "/api/register/",
        {"email": "new@example.com", "password": "12345678", "phone": "call me"},
        **RU,
    )
    change = world["client"].post(
        "/api/password/change/",
        {"old_password": PASSWORD, "new_password1": "a-Long-pass-1", "new_password2": "other"},
        **RU,
    )

    assert "Введённый пароль состоит только из цифр." in register.json()["password"]
    assert register.json()["phone"] == [
        "Введите правильный номер телефона в международном формате: + и код страны, "
        "например +14155550123."
    ]
    assert world["anon"].post("/api/login/", {}, **RU).json()["email"] == ["Обязательное поле."]
    assert change.json() == {"new_password2": ["Введенные пароли не совпадают."]}


def test_english_validation_errors_are_unchanged(world):
    response = world["client"].post("/api/organizations/", {"name": "acme"}, **EN)

    assert response.json() == {"name": ["An organization with this name already exists."]}


# --- Logging in, tokens, permissions, missing objects. ---------------------------------------


def test_a_wrong_login_is_in_the_language_asked_for(user):
    def log_in(headers):
        return APIClient().post(
            "/api/login/", {"email": user.email, "password": "wrong"}, **headers
        )

    russian, english = in_languages(log_in)

    assert russian.status_code == 400
    assert english.json() == {"non_field_errors": ["Unable to log in with provided credentials."]}


def test_a_missing_token_is_a_401_in_the_language_asked_for(db):
    russian, english = in_languages(lambda headers: APIClient().get("/api/profile/", **headers))

    assert russian.status_code == 401
    assert russian.json() == {"detail": "Учётные данные не были предоставлены."}
    assert english.json() == {"detail": "Authentication credentials were not provided."}


def test_a_bad_token_is_a_401_in_the_language_asked_for(db):
    def with_bad_token(headers):
        return APIClient().get("/api/profile/", HTTP_AUTHORIZATION="Bearer not.a.token", **headers)

    russian, english = in_languages(with_bad_token)

    assert russian.status_code == 401
    assert russian.json()["detail"] == "Токен недействителен ни для одного типа токенов"
    assert english.json()["detail"] == "Given token not valid for any token type"
    assert english.json()["messages"][0]["message"] == "Token is invalid"


def test_a_forbidden_change_is_a_403_in_the_language_asked_for(world):
    theirs = OrganizationFactory(name="Theirs")

    russian, english = in_languages(
        lambda headers: world["client"].patch(
            f"/api/organizations/{theirs.pk}/", {"name": "Mine"}, **headers
        )
    )

    assert russian.status_code == 403
    assert english.json() == {"detail": "You do not have permission to perform this action."}
    assert Organization.objects.get(pk=theirs.pk).name == "Theirs"


@pytest.mark.parametrize(
    "url", ["/api/organizations/999999/", "/api/nowhere/", "/api/users/?page=99"]
)
def test_a_404_is_in_the_language_asked_for(world, url):
    russian, english = in_languages(lambda headers: world["client"].get(url, **headers))

    assert russian.status_code == 404
    assert english.json()["detail"] in {
        "No Organization matches the given query.",
        "Not found.",
        "Invalid page.",
    }


def test_a_405_is_in_the_language_asked_for(world):
    russian, english = in_languages(lambda headers: world["client"].put("/api/users/", **headers))

    assert russian.status_code == 405
    assert english.json() == {"detail": 'Method "PUT" not allowed.'}


@pytest.mark.parametrize("debug", [False, True])
def test_a_413_is_in_the_language_asked_for(world, settings, debug):
    settings.DEBUG = debug
    body = json.dumps({"name": "x" * settings.DATA_UPLOAD_MAX_MEMORY_SIZE})

    russian, english = in_languages(
        lambda headers: world["client"].generic(
            "POST", "/api/organizations/", body, "application/json", **headers
        )
    )

    limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE  # 262144: "байта", as for 4
    assert russian.status_code == 413
    assert russian.json() == {"detail": f"Тело запроса слишком велико: максимум {limit} байта."}
    assert english.json() == {"detail": f"The request body is too large: at most {limit} bytes."}


def test_a_413_before_the_body_is_read_is_in_the_language_asked_for(world, settings):
    settings.REQUEST_MAX_BYTES = 100

    russian, english = in_languages(
        lambda headers: world["client"].generic(
            "POST", "/api/organizations/", "x" * 101, "application/json", **headers
        )
    )

    assert russian.json() == {"detail": "Тело запроса слишком велико: максимум 100 байт."}
    assert english.json() == {"detail": "The request body is too large: at most 100 bytes."}


# --- 429: the wait, in the plural form Russian needs. ----------------------------------------


def russian_plural(number, one, few, many):
    if number % 10 == 1 and number % 100 != 11:
        return one
    if 2 <= number % 10 <= 4 and not 12 <= number % 100 <= 14:
        return few
    return many


@pytest.mark.parametrize(
    ("wait", "expected"),
    [
        (1, "1 секунду"),
        (3, "3 секунды"),
        (5, "5 секунд"),
        (11, "11 секунд"),
        (12, "12 секунд"),
        (21, "21 секунду"),
        (22, "22 секунды"),
        (60, "60 секунд"),
        (0.2, "1 секунду"),  # whole seconds, rounded up
    ],
)
def test_the_wait_of_a_429_takes_the_russian_plural_form(wait, expected):
    with translation.override("ru"):
        assert throttled_detail(wait) == f"Слишком много запросов. Повторите через {expected}."
    with translation.override("en"):
        english = throttled_detail(wait)
    assert english.startswith("Request was throttled. Expected available in ")


def test_a_429_is_in_the_language_asked_for(user, settings):
    settings.THROTTLE_RATES = {**settings.THROTTLE_RATES, "login.account-address": "2/min"}

    def failed_logins(headers):
        client = APIClient()
        body = {"email": user.email, "password": "wrong"}
        for _ in range(2):
            assert client.post("/api/login/", body, **headers).status_code == 400
        return client.post("/api/login/", body, **headers)

    from django.core.cache import cache

    answers = {}
    for name, headers in {"ru": RU, "en": EN}.items():
        cache.clear()
        answers[name] = failed_logins(headers)

    russian, english = answers["ru"], answers["en"]
    assert russian.status_code == english.status_code == 429
    assert_russian(russian.json())
    seconds = int(russian["Retry-After"])
    word = russian_plural(seconds, "секунду", "секунды", "секунд")
    assert russian.json()["detail"] == (
        f"Слишком много запросов. Повторите через {seconds} {word}."
    )
    assert english.json()["detail"] == (
        f"Request was throttled. Expected available in {english['Retry-After']} seconds."
    )


def test_the_browsable_login_page_says_its_429_in_russian(user, settings):
    settings.THROTTLE_RATES = {**settings.THROTTLE_RATES, "login.account-address": "1/min"}
    client = APIClient()
    form = {"email": user.email, "password": "wrong"}
    client.post(reverse("rest_framework:login"), form, format="multipart", **RU)

    response = client.post(reverse("rest_framework:login"), form, format="multipart", **RU)

    assert response.status_code == 429
    seconds = int(response["Retry-After"])
    word = russian_plural(seconds, "секунду", "секунды", "секунд")
    assert f"Слишком много попыток: повторите через {seconds} {word}." in response.text


# --- Mail: in the recipient's language. -------------------------------------------------------


def mail_text(message):
    return f"{message.subject}\n{message.body}"


def assert_russian_mail(message):
    for line in mail_text(message).splitlines():
        if line.strip() and not re.fullmatch(r"\s*(https?://\S+|--)\s*", line):
            assert_russian_text(line)


def reset_mail(email, headers):
    mail.outbox.clear()
    response = APIClient().post("/api/password/reset/", {"email": email}, **headers)
    assert response.status_code == 200
    [message] = mail.outbox
    return response, message


def test_the_password_reset_mail_is_in_the_language_of_the_request(user):
    response, russian = reset_mail(user.email, RU)
    _, english = reset_mail(user.email, EN)

    assert_russian(response.json())
    assert russian.subject == "Сброс пароля"
    assert_russian_mail(russian)
    assert english.subject == "Reset your password"
    assert "Someone, probably you, asked to reset the password of the account" in english.body
    assert not CYRILLIC.search(mail_text(english))


def test_a_reset_asked_in_no_language_is_mailed_in_the_users(db):
    russian_user = UserFactory(language="ru")

    _, message = reset_mail(russian_user.email, {})

    assert_russian_mail(message)


def test_the_confirmation_mail_is_in_the_language_of_the_sign_up(settings):
    settings.ACCOUNT_EMAIL_VERIFICATION = "mandatory"
    client = APIClient()

    response = client.post(
        "/api/register/", {"email": "new@example.com", "password": "correct-horse-42"}, **RU
    )

    assert response.status_code == 202
    assert_russian(response.json())
    [message] = mail.outbox
    assert message.subject == "Подтвердите адрес электронной почты"
    assert_russian_mail(message)
    assert User.objects.get(email="new@example.com").language == "ru"


def test_the_confirmation_mail_of_an_english_sign_up_is_unchanged(settings):
    settings.ACCOUNT_EMAIL_VERIFICATION = "mandatory"

    APIClient().post("/api/register/", {"email": "new@example.com", "password": "correct-horse-42"})

    [message] = mail.outbox
    assert message.subject == "Confirm your email address"
    assert message.body.startswith(
        "Hello,\n\nThis address was given to sign up for an account. To confirm it, follow this "
        "link:\n\nhttp://testserver/api/register/verify-email/"
    )
    assert User.objects.get(email="new@example.com").language == "en"


def test_a_sign_up_is_in_the_language_of_the_request(db):
    response = APIClient().post(
        "/api/register/", {"email": "new@example.com", "password": "correct-horse-42"}, **RU
    )

    assert response.status_code == 201
    assert response.json()["user"]["language"] == "ru"


# With real commits: the notice is rendered once the change commits, within the request.
@pytest.mark.django_db(transaction=True)
def test_the_email_change_notice_goes_in_the_owners_language_when_staff_change_it():
    ann = UserFactory(email="ann@example.com", language="ru")
    admin = User.objects.create_superuser("admin@example.com", "admin-pass-123")
    client = Client()
    client.force_login(admin)

    response = client.post(
        reverse("admin:accounts_user_change", args=[ann.pk]),
        {
            "email": "ann@new.example",
            "language": "ru",
            "is_active": "on",
            "date_joined_0": "2026-01-01",
            "date_joined_1": "00:00:00",
            "memberships-TOTAL_FORMS": "0",
            "memberships-INITIAL_FORMS": "0",
        },
        **EN,  # the admin reads English; the mail is Ann's
    )

    assert response.status_code == 302, response.context["adminform"].form.errors
    [notice] = [message for message in mail.outbox if message.to == ["ann@example.com"]]
    assert notice.subject == "Ваш адрес электронной почты изменён"
    assert_russian_mail(notice)


@pytest.mark.django_db(transaction=True)
def test_the_email_change_notice_follows_the_owners_own_request():
    ann = UserFactory(email="ann@example.com", language="ru")
    client = APIClient()
    client.force_authenticate(ann)

    response = client.patch(
        "/api/profile/",
        {"email": "ann@new.example", "current_password": PASSWORD},
        **EN,
    )

    assert response.status_code == 200
    [notice] = [message for message in mail.outbox if message.to == ["ann@example.com"]]
    assert notice.subject == "Your email address was changed"


def test_the_language_is_changed_in_the_profile(world):
    response = world["client"].patch("/api/profile/", {"language": "ru"})

    assert response.status_code == 200
    assert response.json()["language"] == "ru"
    assert User.objects.get(pk=world["user"].pk).language == "ru"
    refused = world["client"].patch("/api/profile/", {"language": "de"}, **RU)
    assert refused.json() == {"language": ["Значения de нет среди допустимых вариантов."]}
    assert User.objects.get(pk=world["user"].pk).language == "ru"


def test_a_form_of_too_many_fields_is_refused_in_the_language_asked_for(world, settings):
    settings.DATA_UPLOAD_MAX_NUMBER_FIELDS = 10
    body = "&".join(f"field{number}=x" for number in range(11))

    russian, english = in_languages(
        lambda headers: world["client"].generic(
            "POST",
            "/api/organizations/",
            body,
            "application/x-www-form-urlencoded",
            **headers,
        )
    )

    assert russian.status_code == 400
    assert english.json() == {
        "detail": "The number of GET/POST parameters exceeded "
        "settings.DATA_UPLOAD_MAX_NUMBER_FIELDS."
    }


@pytest.mark.django_db(transaction=True)
def test_an_organizations_mail_goes_in_its_recipients_language():
    """A role changed by an English-speaking owner: the member, who reads Russian, is told in
    Russian; an invitation to an address without an account, in the inviter's language."""
    owner = UserFactory(language="en")
    member = UserFactory(language="ru")
    org = OrganizationFactory(name="Acme", owner=owner)
    org.memberships.create(user=member)
    client = APIClient()
    client.force_authenticate(owner)

    changed = client.patch(
        f"/api/organizations/{org.pk}/users/{member.pk}/", {"role": "admin"}, **EN
    )
    invited = client.post(
        f"/api/organizations/{org.pk}/invitations/", {"email": "new@example.com"}, **RU
    )

    assert changed.status_code == 200
    assert invited.status_code == 201
    [role_mail] = [message for message in mail.outbox if message.to == [member.email]]
    assert role_mail.subject == "Ваша роль в «Acme» изменилась"
    assert "Ваша роль в «Acme» теперь: администратор." in role_mail.body
    assert_russian_mail(role_mail)
    [invitation] = [message for message in mail.outbox if message.to == ["new@example.com"]]
    assert invitation.subject == "Вас приглашают в «Acme»"
    assert f"{owner.email} приглашает вас в «Acme» участником." in invitation.body


def test_a_csrf_failure_is_in_the_language_asked_for(user):
    """A browser session's form without its CSRF token."""

    def post_without_token(headers):
        client = APIClient(enforce_csrf_checks=True)
        client.force_login(user)
        return client.post("/api/organizations/", {"name": "Acme"}, format="json", **headers)

    russian, english = in_languages(post_without_token)

    assert russian.status_code == 403
    assert russian.json() == {"detail": "Проверка CSRF не пройдена: cookie CSRF не установлен."}
    assert english.json() == {"detail": "CSRF Failed: CSRF cookie not set."}


def test_an_unknown_host_and_a_chunked_body_are_refused_in_the_language_asked_for(db):
    unknown_host = APIClient().get("/api/", HTTP_HOST="evil.example", **RU)
    chunked = APIClient().generic(
        "POST", "/api/login/", b"{}", "application/json", HTTP_TRANSFER_ENCODING="chunked", **RU
    )

    assert unknown_host.status_code == 400
    assert unknown_host.json() == {"detail": "Недопустимый заголовок Host."}
    assert chunked.status_code == 411
    assert chunked.json() == {"detail": "Отправляйте тело запроса с заголовком Content-Length."}


@pytest.mark.parametrize(
    ("wait", "expected"), [(1, "1 секунду"), (3, "3 секунды"), (5, "5 секунд")]
)
def test_a_429_of_our_own_says_its_reason_and_the_wait_in_the_russian_plural(wait, expected):
    """As the second login step refuses a sixth wrong code (accounts.services)."""
    from accounts.services import MFA_TOO_MANY_CODES
    from restkit.exceptions import throttled

    with translation.override("ru"):
        refused = throttled(wait, MFA_TOO_MANY_CODES)
        assert str(refused.detail) == (
            "Слишком много неверных кодов для этого входа: войдите снова с паролем. "
            f"Повторите через {expected}."
        )
    with translation.override("en"):
        assert str(throttled(42, MFA_TOO_MANY_CODES).detail) == (
            "Too many wrong codes for this login: log in again with your password. "
            "Expected available in 42 seconds."
        )
    assert refused.wait == wait


def test_a_406_and_a_415_are_in_the_language_asked_for(world):
    unknown_format, english_406 = in_languages(
        lambda headers: world["client"].get("/api/users/", {"format": "xml"}, **headers)
    )
    plain_text, english_415 = in_languages(
        lambda headers: world["client"].generic(
            "POST", "/api/organizations/", "name=Acme", "text/plain", **headers
        )
    )

    assert unknown_format.status_code == 406
    assert unknown_format.json() == {
        "detail": "Неизвестный формат 'xml': используйте один из этих: json, api."
    }
    assert english_406.json() == {"detail": "Unknown format 'xml': use one of json, api."}
    assert plain_text.status_code == 415
    assert english_415.json() == {"detail": 'Unsupported media type "text/plain" in request.'}


def test_a_503_says_so_in_the_active_language():
    from restkit.errors import database_unavailable

    with translation.override("ru"):
        russian = json.loads(database_unavailable().content)
    assert russian == {"detail": "Сервис временно недоступен: повторите попытку чуть позже."}
    assert json.loads(database_unavailable().content) == {
        "detail": "The service is temporarily unavailable: try again shortly."
    }


def test_two_factor_set_up_errors_in_russian():
    ann, bob = UserFactory(), UserFactory()
    ann_client, bob_client = client_for(ann), client_for(bob)
    ann_token = ann_client.get("/api/mfa/totp/activate/").json()["activation_token"]
    bob_token = bob_client.get("/api/mfa/totp/activate/").json()["activation_token"]
    ru = {"HTTP_ACCEPT_LANGUAGE": "ru"}

    for body in (
        {"activation_token": ann_token, "code": "000000"},  # a wrong code
        {"activation_token": "x", "code": "000000"},  # not a token
        {"activation_token": bob_token, "code": "000000"},  # another account's
    ):
        response = ann_client.post("/api/mfa/totp/activate/", body, format="json", **ru)
        assert response.status_code == 400
        assert_russian(response.json())


def test_django_level_json_answers_write_russian_as_utf_8_like_drfs():
    response = Client().get("/api/no-such-page/", HTTP_ACCEPT_LANGUAGE="ru")

    assert response.status_code == 404
    assert response["Content-Type"] == "application/json"
    assert "Не найдено.".encode() in response.content  # not \u escapes
    assert json.loads(response.content) == {"detail": "Не найдено."}
