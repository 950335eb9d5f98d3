"""The browsable API's pages in Russian: headings, texts, forms and buttons of every page."""

import re

import pytest
from django.urls import get_resolver
from django.utils import translation
from rest_framework.test import APIClient
from rest_framework.views import APIView

from restkit.renderers import BrowsableAPIRenderer, view_description, view_name
from tests.factories import OrganizationFactory

pytestmark = pytest.mark.django_db

CYRILLIC = re.compile(r"[а-яё]", re.IGNORECASE)
HTML = {"HTTP_ACCEPT": "text/html", "HTTP_ACCEPT_LANGUAGE": "ru"}


def browsable(cls):
    """Whether the view's pages are the browsable API's (not the schema's or its viewers')."""
    return any(issubclass(renderer, BrowsableAPIRenderer) for renderer in cls.renderer_classes)


def pages(patterns=None):
    """Every view of the URLconf whose pages the browsable API renders."""
    for pattern in get_resolver().url_patterns if patterns is None else patterns:
        if hasattr(pattern, "url_patterns"):
            yield from pages(pattern.url_patterns)
            continue
        cls = getattr(pattern.callback, "cls", None)
        if cls is None or not issubclass(cls, APIView) or not browsable(cls):
            continue
        yield pytest.param(cls, getattr(pattern.callback, "initkwargs", {}), id=pattern.name)


@pytest.mark.parametrize(("cls", "initkwargs"), list(pages()))
def test_every_page_is_named_and_described_in_russian(cls, initkwargs):
    view = cls(**initkwargs)
    with translation.override("ru"):
        name, description = view_name(view), view_description(view)
    with translation.override("en"):
        english = view_name(view)

    assert CYRILLIC.search(name), f"{cls.__name__}: {name!r} (api/pages.py)"
    assert not description or CYRILLIC.search(description), description
    assert not CYRILLIC.search(english)


def test_a_page_with_a_form_reads_in_russian(user):
    client = APIClient()
    client.force_login(user)
    OrganizationFactory(name="Acme", created_by=user)

    page = client.get("/api/organizations/", **HTML).content.decode()

    assert "<h1>Список организаций</h1>" in page
    assert "Организации: любой вошедший пользователь" in page
    assert "Отправить GET-запрос к ресурсу «Список организаций»" in page
    assert ">HTML-форма<" in page
    assert "Название" in page
    assert "Описание" in page
    assert "Organization List" not in page


def test_a_forms_errors_read_in_russian(user):
    client = APIClient()
    client.force_login(user)

    page = client.post(
        "/api/organizations/", {"name": ""}, format="multipart", **HTML
    ).content.decode()

    assert "Это поле не может быть пустым." in page


def test_the_login_page_reads_in_russian(db):
    page = APIClient().get("/api/auth/login/", **HTML).content.decode()

    assert "<title>Войти – API людей и организаций</title>" in page
    assert "Электронная почта" in page
    assert "Пароль" in page
    assert "Зарегистрироваться" in page
