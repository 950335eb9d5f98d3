"""Mail off the request path.

`defer(func, ...)` runs a task that sends mail, and QueuedEmailBackend (settings.EMAIL_BACKEND)
turns every email a request sends into such a task:

- with REDIS_URL, the task goes on the RQ queue "mail", and `make worker` (`manage.py rqworker
  mail --with-scheduler`) runs it, retried after each of MAIL_RETRY_DELAYS while it fails (the
  SMTP server down, say);
- without (`make run`, nothing else to start), or while Redis fails, it runs in this process
  once the response has been sent (Django's request_finished), or at once outside a request (a
  management command), with no retry: a failure is logged.

A task sends through settings.MAIL_DELIVERY_BACKEND (SMTP, the console...).
"""

import functools
import logging
import threading

from django.conf import settings
from django.core.mail import get_connection
from django.core.mail.backends.base import BaseEmailBackend
from django.http import HttpRequest

from .breaker import Unavailable
from .throttling import cache_breaker

logger = logging.getLogger("restkit.mail")
QUEUE = "mail"

state = threading.local()  # pending: the tasks of the request being served; running: a flag


@functools.cache
def queue_for(url):
    import redis
    from rq import Queue

    # Timeouts as the cache's: a frozen Redis must not hold the request either.
    timeout = settings.CACHE_TIMEOUT
    connection = redis.Redis.from_url(url, socket_timeout=timeout, socket_connect_timeout=timeout)
    return Queue(QUEUE, connection=connection)


def queue():
    return queue_for(settings.REDIS_URL)


def defer(func, /, *args, **kwargs):
    """Run func(*args, **kwargs) off the request path (see the module's docstring)."""
    if getattr(state, "running", False):  # already off the request path: a task's own mail
        func(*args, **kwargs)
        return
    if settings.REDIS_URL:
        try:
            with cache_breaker.guard():  # the rate limits' view of Redis: down, or answering
                enqueue(func, args, kwargs)
            return
        except Unavailable:  # as if there were no Redis: sent after the response
            logger.warning("Mail not queued, Redis failed: sending it from this process")
    if getattr(state, "pending", None) is not None:
        state.pending.append((func, args, kwargs))
    else:
        run(func, args, kwargs)


def enqueue(func, args, kwargs):
    from rq import Retry

    delays = settings.MAIL_RETRY_DELAYS
    queue().enqueue(
        func,
        *args,
        **kwargs,
        retry=Retry(max=len(delays), interval=delays) if delays else None,
        result_ttl=0,
        failure_ttl=7 * 24 * 3600,  # a mail that never went out stays visible a week
    )


def run(func, args, kwargs):
    state.running = True
    try:
        func(*args, **kwargs)
    except Exception:
        logger.exception("Sending mail failed: %s", getattr(func, "__name__", func))
    finally:
        state.running = False


def request_started(**kwargs):
    state.pending = []


def request_finished(**kwargs):
    """Send what the request deferred, now that its response has gone."""
    pending, state.pending = getattr(state, "pending", None) or [], None
    for func, args, kwargs in pending:
        run(func, args, kwargs)


def queue_depth():
    """The emails waiting: queued, and scheduled for a retry."""
    if not settings.REDIS_URL:
        return len(getattr(state, "pending", None) or [])
    mail = queue()
    try:
        return mail.count + mail.scheduled_job_registry.count
    except Exception:  # Redis down: the metric is missing, the scrape still answers
        logger.warning("The mail queue's depth is unknown: Redis does not answer")
        return float("nan")


def deliver(messages):
    get_connection(settings.MAIL_DELIVERY_BACKEND).send_messages(messages)


class QueuedEmailBackend(BaseEmailBackend):
    """Sends nothing itself: defers the sending (see the module's docstring)."""

    def send_messages(self, email_messages):
        messages = list(email_messages)
        for message in messages:
            message.connection = None  # this backend: not to be pickled with the message
        if messages:
            defer(deliver, messages)
        return len(messages)


class MailRequest(HttpRequest):
    """What a mail task needs of the request it was deferred from: scheme and host (already
    validated against ALLOWED_HOSTS), to build links, and the language it asked for, if any
    (restkit.languages.requested_language), for the mail's own."""

    def __init__(self, origin, language=None):
        super().__init__()
        self._scheme, host = origin
        self.META["HTTP_HOST"] = host
        if language:
            self.META["HTTP_ACCEPT_LANGUAGE"] = language
        self.method = "GET"
        self.path = self.path_info = "/"
        from django.contrib.auth.models import AnonymousUser

        self.user = AnonymousUser()  # for the templates' context processors

    @property
    def scheme(self):
        return self._scheme


def origin(request):
    """The part of `request` that MailRequest rebuilds: picklable, small."""
    return (request.scheme, request.get_host())
