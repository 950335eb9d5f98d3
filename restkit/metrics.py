"""Prometheus metrics at /metrics, for the addresses of METRICS_ALLOWED_ADDRESSES or a client
with the METRICS_TOKEN bearer token; anyone else gets a 404.

django-prometheus counts the requests and their latencies by view, method and status; these add
the rate limits' refusals, the cache's failures, and the emails waiting to be sent. Under gunicorn
with several workers, each worker writes its counts to PROMETHEUS_MULTIPROC_DIR (set by
gunicorn.conf.py) and this view adds them up.
"""

import hmac
import ipaddress
import os

from django.conf import settings
from django.http import HttpResponse
from django.utils.module_loading import import_string
from django.views.decorators.cache import never_cache
from prometheus_client import (
    CONTENT_TYPE_LATEST,
    REGISTRY,
    CollectorRegistry,
    Counter,
    generate_latest,
    multiprocess,
)
from prometheus_client.core import GaugeMetricFamily
from rest_framework.throttling import BaseThrottle

from .errors import not_found, reads_only

THROTTLE_REJECTIONS = Counter(
    "api_throttle_rejections", "Requests refused by a rate limit.", ["scope", "kind"]
)
CACHE_FAILURES = Counter(
    "api_cache_failures", "Cache calls that failed: the rate limits served the request uncounted."
)


class MailQueueCollector:
    """The emails waiting to be sent, read from the queue when scraped."""

    def collect(self):
        depth = import_string(settings.METRICS_MAIL_QUEUE_DEPTH)()
        yield GaugeMetricFamily(
            "api_mail_queue_depth", "Emails waiting to be sent (retries included).", value=depth
        )


def allowed(request):
    token = settings.METRICS_TOKEN
    sent = request.headers.get("authorization", "")
    if token and hmac.compare_digest(sent.encode(), f"Bearer {token}".encode()):
        return True
    try:  # the client's address, behind API_NUM_PROXIES proxies as the rate limits see it
        address = ipaddress.ip_address(BaseThrottle().get_ident(request))
    except ValueError:
        return False
    return any(address in network for network in settings.METRICS_ALLOWED_NETWORKS)


@reads_only
@never_cache
def metrics(request):
    if not allowed(request):
        return not_found(request)
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        registry = CollectorRegistry()
        multiprocess.MultiProcessCollector(registry)
    else:
        registry = REGISTRY
    live = CollectorRegistry(auto_describe=False)
    live.register(MailQueueCollector())
    body = generate_latest(registry) + generate_latest(live)
    return HttpResponse(body, content_type=CONTENT_TYPE_LATEST)
