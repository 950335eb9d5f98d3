"""A person in a real headless Chromium: the browsable API and Swagger UI on the live server.

Needs Debian's Chromium at /usr/bin/chromium and the pip package playwright (no browser
download: Playwright drives the system Chromium). Skipped when either is missing.
Screenshots of every step go to test-artifacts/screenshots/ at the repository root.
"""

import json
from pathlib import Path

import pytest

from tests.e2e.conftest import sign_up

try:
    from playwright.sync_api import expect, sync_playwright
except ImportError:  # pragma: no cover - depends on the machine
    sync_playwright = None

ROOT = Path(__file__).resolve().parents[2]
SCREENSHOTS = ROOT / "test-artifacts" / "screenshots"
CHROMIUM = Path("/usr/bin/chromium")
# Headless, and nothing that reaches the internet on its own (updates, sync, field trials).
CHROMIUM_ARGS = [
    "--no-sandbox",  # the tests may run as root
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]

# Skip at collection, before the session's live server is started for nothing.
if not CHROMIUM.exists():
    pytest.skip(
        f"no Chromium at {CHROMIUM}: install the Debian package `chromium`",
        allow_module_level=True,
    )
if sync_playwright is None:
    pytest.skip(
        "Playwright for Python is not installed: install the pip package playwright from "
        "requirements-dev.txt (`venv/bin/pip install -r requirements-dev.txt`); "
        "do not run `playwright install`, the system Chromium is used",
        allow_module_level=True,
    )

EMAIL = "browser@example.com"
PASSWORD = "correct-horse-42"
ORGANIZATION = {"name": "Browser Test Org", "description": "Made through the HTML form"}


@pytest.fixture(scope="module")
def browser():
    """The system Chromium, headless, started once for this module's tests."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(browser, request):
    """A fresh page in a context of its own: no cookies shared between tests.

    When the test fails, the page as it was is saved as FAILED-<test name>.png.
    """
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    context.set_default_timeout(15_000)
    page = context.new_page()
    failures = request.session.testsfailed
    yield page
    if request.session.testsfailed > failures:
        screenshot(page, f"FAILED-{request.node.name}")
    context.close()


def screenshot(page, name):
    page.screenshot(path=SCREENSHOTS / f"{name}.png", full_page=True)


def shown_response(page):
    """The status line and the JSON body that the browsable API shows for the last request."""
    text = page.locator(".response-info pre").inner_text()
    status, _, rest = text.partition("\n")
    _headers, _, body = rest.partition("\n\n")
    return status, json.loads(body)


def follow_link(page, url):
    """Click the hyperlink whose text is `url` (the browsable API links every URL it shows)."""
    page.get_by_role("link", name=url, exact=True).first.click()
    expect(page).to_have_url(url)


def log_in(page, base_url, email, password):
    page.goto(f"{base_url}/api/")
    expect(page.get_by_role("heading", name="Api Root")).to_be_visible()
    screenshot(page, "01-api-root-anonymous")

    page.get_by_role("link", name="Log in").click()
    expect(page).to_have_url(f"{base_url}/api/auth/login/?next=/api/")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(password)
    screenshot(page, "02-login-form")
    page.get_by_role("button", name="Log in").click()

    expect(page).to_have_url(f"{base_url}/api/")
    expect(page.locator(".navbar")).to_contain_text(email)  # the signed-in user's menu
    screenshot(page, "03-api-root-logged-in")


def create_organization_with_html_form(page, fields):
    page.get_by_role("link", name="HTML form", exact=True).click()
    form = page.locator("#post-object-form form")
    expect(form).to_be_visible()
    for name, value in fields.items():
        form.locator(f"[name={name}]").fill(value)
    screenshot(page, "06-organization-form-filled")
    form.get_by_role("button", name="POST").click()


def test_the_browsable_api_in_chromium(page, live_server_url):
    api = f"{live_server_url}/api"
    user = sign_up(live_server_url, EMAIL, PASSWORD)["user"]

    log_in(page, live_server_url, EMAIL, PASSWORD)

    follow_link(page, f"{api}/users/")
    expect(page.get_by_role("heading", name="User List")).to_be_visible()
    status, users = shown_response(page)
    assert status == "HTTP 200 OK"
    assert user["email"] in [each["email"] for each in users["results"]]
    screenshot(page, "04-users-list")

    page.get_by_role("link", name="Api Root").click()
    follow_link(page, f"{api}/organizations/")
    expect(page.get_by_role("heading", name="Organization List")).to_be_visible()
    screenshot(page, "05-organizations-list")

    create_organization_with_html_form(page, ORGANIZATION)
    expect(page.locator(".response-info")).to_contain_text("HTTP 201 Created")
    status, organization = shown_response(page)
    assert status == "HTTP 201 Created"
    assert organization["name"] == ORGANIZATION["name"]
    assert organization["description"] == ORGANIZATION["description"]
    assert organization["created_by"] == user["url"]
    screenshot(page, "07-organization-created")

    follow_link(page, organization["url"])
    expect(page.get_by_role("heading", name="Organization Instance")).to_be_visible()
    status, shown = shown_response(page)
    assert status == "HTTP 200 OK"
    assert shown["name"] == ORGANIZATION["name"]
    screenshot(page, "08-organization-detail")


def test_swagger_ui_lists_the_operations(page, live_server_url):
    errors = []  # scripts that threw, console errors, requests that failed (e.g. a missing asset)
    page.on("pageerror", lambda error: errors.append(f"script: {error}"))
    page.on("console", lambda msg: msg.type == "error" and errors.append(f"console: {msg.text}"))
    page.on("requestfailed", lambda request: errors.append(f"failed: {request.url}"))

    page.goto(f"{live_server_url}/api/docs/")

    expect(page.get_by_role("heading", name="People and organizations API")).to_be_visible()
    for summary in ("List users", "Create an organization", "Log in", "Sign up"):
        expect(page.get_by_text(summary, exact=True).first).to_be_visible()
    screenshot(page, "09-swagger-ui")
    assert errors == []
