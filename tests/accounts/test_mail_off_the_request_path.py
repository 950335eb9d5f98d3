"""Mail leaves the request path: queued for the worker with Redis (run here by a burst worker on
a redis-server of the test's own), sent after the response without. A password reset does the
same work, so takes the same time, whether the address has an account or not."""

import statistics
import time

import pytest
from django.core import mail
from rq import SimpleWorker

from restkit import mail as mail_queue
from tests.factories import UserFactory
from tests.services import REDIS_SERVER, redis_process

RESET = "/api/password/reset/"


@pytest.fixture
def queued_mail(settings):
    settings.EMAIL_BACKEND = "restkit.mail.QueuedEmailBackend"
    settings.MAIL_DELIVERY_BACKEND = "django.core.mail.backends.locmem.EmailBackend"


@pytest.fixture
def redis_queue(settings, tmp_path, queued_mail):
    with redis_process(tmp_path) as server:
        settings.REDIS_URL = server.url
        yield mail_queue.queue()


def run_queue(queue):
    SimpleWorker([queue], connection=queue.connection).work(burst=True)


@pytest.mark.django_db
def test_without_redis_a_reset_mail_is_sent_after_the_response(anon_client, queued_mail):
    UserFactory(email="ann@example.com")
    sent_during_the_view = []

    def view_returned(**kwargs):
        sent_during_the_view.append(len(mail.outbox))

    from django.core.signals import request_finished

    request_finished.connect(view_returned)  # before restkit.mail's receiver: connected later
    request_finished.disconnect(mail_queue.request_finished, dispatch_uid="restkit.mail")
    request_finished.connect(mail_queue.request_finished, dispatch_uid="restkit.mail")
    try:
        response = anon_client.post(RESET, {"email": "ann@example.com"})
    finally:
        request_finished.disconnect(view_returned)

    assert response.status_code == 200
    assert sent_during_the_view == [0]
    [message] = mail.outbox
    assert message.to == ["ann@example.com"]


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(not REDIS_SERVER, reason="redis-server is not installed")
def test_with_redis_the_worker_sends_the_mail(anon_client, redis_queue):
    UserFactory(email="ann@example.com")

    response = anon_client.post(RESET, {"email": "ann@example.com"})

    assert response.status_code == 200
    assert mail.outbox == []
    assert mail_queue.queue_depth() == 1
    run_queue(redis_queue)
    [message] = mail.outbox
    assert message.to == ["ann@example.com"]
    assert "http://testserver/api/password/reset/confirm/" in message.body
    assert mail_queue.queue_depth() == 0


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(not REDIS_SERVER, reason="redis-server is not installed")
def test_with_redis_down_the_mail_is_sent_after_the_response(anon_client, tmp_path, settings):
    with redis_process(tmp_path) as server:
        settings.REDIS_URL = server.url
        server.stop()
        UserFactory(email="ann@example.com")

        response = anon_client.post(RESET, {"email": "ann@example.com"})

    assert response.status_code == 200
    [message] = mail.outbox
    assert message.to == ["ann@example.com"]


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(not REDIS_SERVER, reason="redis-server is not installed")
def test_a_reset_takes_the_same_time_whether_the_address_has_an_account(
    anon_client, redis_queue, settings
):
    settings.THROTTLE_RATES = {**settings.THROTTLE_RATES, "password-reset.address": None}
    UserFactory(email="known@example.com")
    times = {"known@example.com": [], "unknown@example.com": []}
    for _ in range(15):
        for email, spent in times.items():  # interleaved, so that the machine's load is shared
            start = time.perf_counter()
            response = anon_client.post(RESET, {"email": email})
            assert response.status_code == 200
            spent.append(time.perf_counter() - start)

    known, unknown = (statistics.median(spent) for spent in times.values())
    print(f"\nreset: {known * 1000:.1f} ms for a known address, {unknown * 1000:.1f} ms unknown")
    assert len(redis_queue) == 30  # one task each, whatever the address
    assert abs(known - unknown) < 0.005 + 0.2 * min(known, unknown)
    run_queue(redis_queue)
    assert {tuple(message.to) for message in mail.outbox} == {("known@example.com",)}
