"""Two separate server processes share their throttling counts through Redis."""

import os
import uuid

import pytest

from tests.e2e.conftest import call, running_server
from tests.services import redis_answers

REDIS_URL = os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/15")


def login_status(url):
    """The status of a login with a wrong password, which counts towards the limit."""
    return call(f"{url}/api/login/", {"email": "nobody@example.com", "password": "wrong-password"})[
        0
    ]


@pytest.mark.skipif(
    not redis_answers(REDIS_URL), reason=f"no Redis answers at {REDIS_URL} (set REDIS_URL)"
)
def test_two_processes_share_their_throttling_counts_through_redis(tmp_path):
    shared = {
        "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
        "REDIS_URL": REDIS_URL,
        "CACHE_KEY_PREFIX": f"test-{uuid.uuid4().hex}",  # counts of this test only
        "API_THROTTLE_RATES": "login.address=4/min",
    }
    (tmp_path / "one").mkdir()
    (tmp_path / "two").mkdir()
    with (
        running_server(tmp_path / "one", **shared) as one,
        running_server(tmp_path / "two", **shared) as two,
    ):
        # Four attempts in all, alternating between the two processes: the fifth is refused by
        # either, as they count together.
        assert [login_status(url) for url in (one, two, one, two)] == [400, 400, 400, 400]
        assert login_status(one) == 429
        assert login_status(two) == 429
