"""Every HTML page is served with a Content-Security-Policy that allows no inline script."""

import re

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db

HTML_PAGES = [
    "/api/",  # the browsable API
    "/api/auth/login/",
    "/admin/login/",
    "/api/docs/",  # Swagger UI
    "/api/redoc/",
]


def directives(response) -> dict[str, list[str]]:
    policy = response["Content-Security-Policy"]
    return {
        name: values
        for name, *values in (part.split() for part in policy.split(";") if part.strip())
    }


@pytest.mark.parametrize("url", HTML_PAGES)
def test_every_html_page_allows_only_the_sites_own_scripts(client, url):
    response = client.get(url, HTTP_ACCEPT="text/html")

    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/html")
    policy = directives(response)
    assert policy["script-src"] == ["'self'"]
    assert policy["default-src"] == ["'self'"]
    assert policy["object-src"] == ["'none'"]
    assert policy["frame-ancestors"] == ["'none'"]


@pytest.mark.parametrize("url", HTML_PAGES)
def test_no_html_page_has_an_inline_script_the_policy_would_refuse(client, url):
    html = client.get(url, HTTP_ACCEPT="text/html").content.decode()

    scripts = re.findall(r"<script\b([^>]*)>", html)
    # Data blocks (type="application/json") are never run, so the policy does not apply to them.
    inline = [attrs for attrs in scripts if "src=" not in attrs and "application/json" not in attrs]
    assert inline == []
    assert not re.search(r"\son[a-z]+\s*=", html)  # nor an inline event handler


def test_the_browsable_api_logs_out_with_a_plain_form_button(api_client):
    html = api_client.get("/api/", HTTP_ACCEPT="text/html").content.decode()

    form = re.search(
        r'<form method="post" action="/api/auth/logout/[^"]*">(.*?)</form>', html, re.S
    )
    assert form
    assert 'type="submit"' in form.group(1)


def test_redoc_loads_nothing_from_another_origin(client):
    html = client.get(reverse("redoc")).content.decode()

    assert "fonts.googleapis.com" not in html
    assert "hide-loading" in html  # the loading animation's logo comes from Redocly's CDN


def test_swagger_ui_does_not_keep_the_token_in_local_storage(client):
    script = client.get(reverse("swagger-ui"), {"script": ""})

    assert script.status_code == 200
    assert script["Content-Type"].startswith("application/javascript")
    assert '"persistAuthorization": false' in script.content.decode()
