"""Under gunicorn with LOG_FORMAT=json: every line of the log is JSON, one per request with its
id, and two workers' metrics are added up."""

import json
import re
import urllib.request

import pytest

from tests.e2e.conftest import running_server
from tests.services import REDIS_SERVER, redis_process


@pytest.mark.skipif(not REDIS_SERVER, reason="redis-server is not installed")
def test_json_logs_and_metrics_of_two_workers(tmp_path):
    with (
        redis_process(tmp_path) as redis,
        running_server(tmp_path, LOG_FORMAT="json", REDIS_URL=redis.url) as url,
    ):
        for n in range(10):
            request = urllib.request.Request(f"{url}/api/", headers={"X-Request-ID": f"trail-{n}"})
            with urllib.request.urlopen(request, timeout=10) as response:
                assert response.headers["X-Request-ID"] == f"trail-{n}"
        with urllib.request.urlopen(f"{url}/metrics", timeout=10) as response:
            metrics = response.read().decode()

    lines = (tmp_path / "gunicorn.log").read_text().splitlines()
    entries = [json.loads(line) for line in lines if not line.startswith("127.0.0.1 - ")]
    requests = [entry for entry in entries if entry["logger"] == "api.request"]
    assert {entry["request_id"] for entry in requests} >= {f"trail-{n}" for n in range(10)}
    assert {"method", "path", "status", "duration_ms", "user_id"} <= set(requests[-1])
    assert requests[-1]["user_id"] is None
    assert len(lines) == len(set(lines))  # no line twice
    assert any(entry["logger"] == "gunicorn.error" for entry in entries)

    served = re.findall(
        r'django_http_responses_total_by_status_view_method_total\{method="GET",status="200",'
        r'view="api-root"\} (\S+)',
        metrics,
    )
    assert sum(float(count) for count in served) >= 10  # from both workers' files
