"""The trail: a request id on every response and log line, one line per request, JSON records
with the traceback inside, and Prometheus metrics for allowed scrapers only."""

import json
import logging
import sys

import pytest

from restkit.logs import JsonFormatter, RequestIdFilter


@pytest.fixture
def request_lines(caplog):
    caplog.set_level(logging.DEBUG, logger="api.request")
    return lambda: [r for r in caplog.records if r.name == "api.request"]


@pytest.mark.django_db
def test_a_request_gets_an_id_returned_and_logged(anon_client, request_lines):
    response = anon_client.get("/api/")

    [line] = request_lines()
    assert len(response["X-Request-ID"]) == 32
    assert line.request_id == response["X-Request-ID"]
    assert (line.method, line.path, line.status) == ("GET", "/api/", 200)
    assert line.levelno == logging.INFO
    assert line.duration_ms >= 0
    assert line.user_id is None


@pytest.mark.django_db
def test_a_valid_request_id_is_kept_and_its_user_logged(jwt_client, user, request_lines):
    response = jwt_client.get("/api/profile/", HTTP_X_REQUEST_ID="lb-7f3a:42")

    assert response["X-Request-ID"] == "lb-7f3a:42"
    [line] = request_lines()
    assert (line.request_id, line.user_id, line.status) == ("lb-7f3a:42", user.pk, 200)


@pytest.mark.django_db
@pytest.mark.parametrize("sent", ["", "a" * 129, "two words", "<script>", "id\x00", "é"])
def test_a_malformed_request_id_is_replaced(anon_client, sent, request_lines):
    response = anon_client.get("/api/", HTTP_X_REQUEST_ID=sent)

    assert response.status_code == 200
    assert response["X-Request-ID"] != sent
    assert len(response["X-Request-ID"]) == 32


@pytest.mark.django_db
def test_errors_and_refusals_carry_the_id_too(anon_client):
    assert anon_client.get("/api/nowhere/")["X-Request-ID"]
    assert anon_client.get("/api/", HTTP_HOST="evil.example.com")["X-Request-ID"]


@pytest.mark.django_db
def test_health_checks_are_logged_below_info(anon_client, request_lines):
    anon_client.get("/api/health/live/")

    [line] = request_lines()
    assert line.levelno == logging.DEBUG


@pytest.mark.django_db
def test_every_log_line_of_a_request_carries_its_id(anon_client, caplog):
    caplog.set_level(logging.WARNING, logger="django.request")
    caplog.handler.addFilter(RequestIdFilter())  # as the console handler has
    anon_client.get("/api/nowhere/", HTTP_X_REQUEST_ID="abc-123")  # logged after the middleware

    [warning] = [r for r in caplog.records if r.name == "django.request"]
    assert warning.request_id == "abc-123"


def test_an_error_is_one_json_record_with_its_traceback():
    try:
        raise ValueError("boom")
    except ValueError:
        record = logging.LogRecord(
            "django.request",
            logging.ERROR,
            __file__,
            1,
            "Internal Server Error: %s",
            ("/x",),
            sys.exc_info(),
        )
    record.status_code = 500
    RequestIdFilter().filter(record)

    line = JsonFormatter().format(record)

    assert "\n" not in line
    entry = json.loads(line)
    assert entry["message"] == "Internal Server Error: /x"
    assert entry["level"] == "ERROR"
    assert entry["status_code"] == 500
    assert entry["request_id"] == "-"
    assert 'raise ValueError("boom")' in entry["traceback"]


@pytest.mark.django_db
def test_metrics_are_served_to_an_allowed_address(anon_client, user, jwt_client, settings):
    settings.THROTTLE_RATES = {**settings.THROTTLE_RATES, "api.account": "1/min"}
    jwt_client.get("/api/profile/")
    assert jwt_client.get("/api/profile/").status_code == 429

    response = anon_client.get("/metrics")

    text = response.content.decode()
    assert response.status_code == 200
    assert "django_http_responses_total_by_status_view_method_total" in text
    assert 'view="profile"' in text
    assert "django_http_requests_latency_seconds_by_view_method_bucket" in text
    assert 'api_throttle_rejections_total{kind="account",scope="api"}' in text
    assert "api_mail_queue_depth 0.0" in text


@pytest.mark.django_db
def test_metrics_are_a_404_elsewhere_unless_the_token_is_sent(anon_client, settings):
    settings.METRICS_TOKEN = "scrape-secret"
    outside = {"REMOTE_ADDR": "203.0.113.9"}

    assert anon_client.get("/metrics", **outside).status_code == 404
    wrong = anon_client.get("/metrics", HTTP_AUTHORIZATION="Bearer nope", **outside)
    assert wrong.status_code == 404
    right = anon_client.get("/metrics", HTTP_AUTHORIZATION="Bearer scrape-secret", **outside)
    assert right.status_code == 200
