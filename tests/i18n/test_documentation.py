"""The schema, Swagger UI and ReDoc in Russian: `?lang=ru` (as drf-spectacular takes it) or
`Accept-Language: ru`; the committed docs/openapi.yaml stays in English, the default."""

import re
from pathlib import Path

import pytest
import yaml
from rest_framework.test import APIClient

pytestmark = pytest.mark.django_db

CYRILLIC = re.compile(r"[а-яё]", re.IGNORECASE)
COMMITTED = Path(__file__).resolve().parents[2] / "docs" / "openapi.yaml"
METHODS = {"get", "post", "put", "patch", "delete"}


def schema(**kwargs):
    response = APIClient().get("/api/schema/", kwargs.pop("query", {}), **kwargs)
    assert response.status_code == 200
    return yaml.safe_load(response.content)


def operations(document):
    for path, item in document["paths"].items():
        for method, operation in item.items():
            if method in METHODS:
                yield f"{method.upper()} {path}", operation


def described(node, where="#"):
    """(where, text) for every description, summary and title of the document."""
    if isinstance(node, dict):
        for key, value in node.items():
            if key in {"description", "summary", "title"} and isinstance(value, str):
                yield f"{where}/{key}", value
            else:
                yield from described(value, f"{where}/{key}")
    elif isinstance(node, list):
        for index, item in enumerate(node):
            yield from described(item, f"{where}/{index}")


def texts_of(operation):
    """What a reader of Swagger UI or ReDoc reads of an operation."""
    yield operation["summary"]
    yield operation.get("description", "")
    for parameter in operation.get("parameters", []):
        yield parameter.get("description", "")
    for response in operation["responses"].values():
        yield response["description"]


@pytest.mark.parametrize(
    "request_kwargs",
    [{"query": {"lang": "ru"}}, {"HTTP_ACCEPT_LANGUAGE": "ru"}],
    ids=["lang-ru", "accept-language-ru"],
)
def test_every_operation_reads_in_russian(request_kwargs):
    document = schema(**request_kwargs)

    assert document["info"]["title"] == "API людей и организаций"
    assert CYRILLIC.search(document["info"]["description"])
    english = {
        where: text for where, text in described(document) if text and not CYRILLIC.search(text)
    }
    assert english == {}  # of operations, parameters, answers and objects alike
    login = document["paths"]["/api/login/"]["post"]
    assert login["summary"] == "Войти"
    assert login["operationId"] == "login"  # names for programs stay as they are
    field_errors = document["components"]["schemas"]["FieldErrors"]
    assert CYRILLIC.search(field_errors["description"])


@pytest.mark.parametrize("lang", ["en", "xx", "../../etc/passwd", "ru\u0000", ""])
def test_any_other_lang_reads_in_english(lang):
    document = schema(query={"lang": lang})

    assert document["info"]["title"] == "People and organizations API"
    assert document["paths"]["/api/login/"]["post"]["summary"] == "Log in"


def test_the_committed_schema_is_in_english():
    document = yaml.safe_load(COMMITTED.read_text())

    assert document["info"]["title"] == "People and organizations API"
    for _name, operation in operations(document):
        for text in texts_of(operation):
            assert not CYRILLIC.search(text), text


@pytest.mark.parametrize(
    ("page", "schema_url"),
    [
        # Swagger UI's start-up script, which the page loads: the URL as a JSON string.
        ("/api/docs/?lang=ru&script=", '"/api/schema/?lang\\u003Dru"'),
        ("/api/redoc/?lang=ru", "/api/schema/?lang=ru"),
    ],
)
def test_the_documentation_pages_pass_lang_on_to_the_schema(page, schema_url):
    response = APIClient().get(page)

    assert response.status_code == 200
    assert schema_url in response.content.decode()


def test_swagger_uis_page_loads_its_script_with_lang():
    response = APIClient().get("/api/docs/", {"lang": "ru"})

    assert "/api/docs/?lang=ru&amp;script=" in response.content.decode()


def test_the_schema_says_its_language():
    assert APIClient().get("/api/schema/", {"lang": "ru"})["Content-Language"] == "ru"
    assert APIClient().get("/api/schema/")["Content-Language"] == "en"


@pytest.mark.parametrize("page", ["/api/docs/", "/api/redoc/"])
def test_lang_chooses_the_language_of_the_whole_page(page):
    russian = APIClient().get(page, {"lang": "ru"})
    english = APIClient().get(page)

    assert "<title>API людей и организаций</title>" in russian.content.decode()
    assert russian["Content-Language"] == "ru"
    assert "<title>People and organizations API</title>" in english.content.decode()
    assert english["Content-Language"] == "en"
