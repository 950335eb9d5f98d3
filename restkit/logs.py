"""The trail: a request id on every response and every log line of its request, one log line per
request, and JSON log records when LOG_FORMAT=json (one line each, a traceback included).

Imports nothing of Django's at module level: gunicorn.conf.py uses the formatter for gunicorn's
own log lines before Django is set up.
"""

import contextvars
import datetime
import json
import logging
import re
import time
import uuid

request_id = contextvars.ContextVar("request_id", default="-")

# What a request id sent by a client or a proxy may be: a UUID, or any such token, no longer than
# this. Anything else (control characters, a megabyte) is replaced, never echoed or logged.
VALID_REQUEST_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9._:+/=-]{0,127}")

# The attributes every LogRecord has; the others were passed in `extra` and go into the JSON.
STANDARD_ATTRIBUTES = set(vars(logging.makeLogRecord({}))) | {"message", "asctime", "request_id"}

request_logger = logging.getLogger("api.request")


class RequestIdFilter(logging.Filter):
    """Gives every record the id of the request being served (or "-")."""

    def filter(self, record):
        record.request_id = request_id.get()
        return True


class JsonFormatter(logging.Formatter):
    """A record as one line of JSON: time, level, logger, message, request id, the `extra`
    fields, and the traceback, if any, as one string."""

    def format(self, record):
        entry = {
            "time": datetime.datetime.fromtimestamp(record.created, datetime.UTC).isoformat(
                timespec="milliseconds"
            ),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
            "request_id": getattr(record, "request_id", request_id.get()),
        }
        for name, value in vars(record).items():
            if name not in STANDARD_ATTRIBUTES and not name.startswith("_"):
                entry[name] = (
                    value if isinstance(value, str | int | float | bool | None) else str(value)
                )
        if record.exc_info:
            entry["traceback"] = self.formatException(record.exc_info)
        elif record.exc_text:
            entry["traceback"] = record.exc_text
        return json.dumps(entry, ensure_ascii=False)


def user_id(request):
    """The id of the request's user if authentication ran, without running it: loading the
    user now would cost a query (one that fails while the database is down)."""
    user = request.__dict__.get("user")
    wrapped = getattr(user, "_wrapped", user)  # a lazy user not yet loaded is left alone
    if wrapped is None or not getattr(wrapped, "is_authenticated", False):
        return None
    return wrapped.pk


class RequestLogMiddleware:
    """First of all middleware: takes the request id from `X-Request-ID` when valid (else makes
    one), returns it on the response, and logs one line per request; the health checks, which
    a load balancer calls every few seconds, at DEBUG."""

    QUIET_PATHS = ("/api/health/",)

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        sent = request.headers.get("x-request-id", "")
        ident = sent if VALID_REQUEST_ID.fullmatch(sent) else uuid.uuid4().hex
        # Kept until the response is closed (request_finished): Django logs a 4xx or 5xx after
        # the middleware has returned.
        request_id.set(ident)
        start = time.perf_counter()
        response = self.get_response(request)
        duration = time.perf_counter() - start
        response["X-Request-ID"] = ident
        quiet = request.path.startswith(self.QUIET_PATHS) and response.status_code < 500
        request_logger.log(
            logging.DEBUG if quiet else logging.INFO,
            "%s %s %s %.1f ms",
            request.method,
            request.path,
            response.status_code,
            duration * 1000,
            extra={
                "method": request.method,
                "path": request.path,
                "status": response.status_code,
                "duration_ms": round(duration * 1000, 1),
                "user_id": user_id(request),
            },
        )
        return response


def forget_request_id(**kwargs):
    """request_finished's receiver: lines logged between requests carry no id."""
    request_id.set("-")
