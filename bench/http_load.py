"""A bounded HTTP load from a separate process: requests per second and latency percentiles.

Runs as `python -m bench.http_load URL TOKEN SECONDS CONNECTIONS` and prints one JSON line. Each
connection is a thread with a keep-alive HTTP/1.1 connection to a server on the loopback address;
the run stops after SECONDS or MAX_REQUESTS requests, whichever comes first.
"""

import http.client
import json
import statistics
import sys
import threading
import time
from urllib.parse import urlsplit

MAX_REQUESTS = 20_000


def main():
    url, token, seconds, connections = (
        sys.argv[1],
        sys.argv[2],
        float(sys.argv[3]),
        int(sys.argv[4]),
    )
    parts = urlsplit(url)
    assert parts.hostname in {"127.0.0.1", "localhost", "::1"}, "load goes to loopback only"
    path = parts.path + (f"?{parts.query}" if parts.query else "")
    headers = {"Authorization": f"Bearer {token}"}
    latencies, errors, lock = [], [0], threading.Lock()
    deadline = time.monotonic() + seconds

    def worker():
        conn = http.client.HTTPConnection(parts.hostname, parts.port, timeout=30)
        while time.monotonic() < deadline:
            with lock:
                if len(latencies) + errors[0] >= MAX_REQUESTS:
                    return
            start = time.perf_counter()
            conn.request("GET", path, headers=headers)
            response = conn.getresponse()
            response.read()
            elapsed = (time.perf_counter() - start) * 1000
            with lock:
                if response.status == 200:
                    latencies.append(elapsed)
                else:
                    errors[0] += 1
        conn.close()

    started = time.monotonic()
    threads = [threading.Thread(target=worker) for _ in range(connections)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    duration = time.monotonic() - started
    percentiles = statistics.quantiles(latencies, n=100)
    print(
        json.dumps(
            {
                "requests": len(latencies),
                "errors": errors[0],
                "rps": len(latencies) / duration,
                "p50_ms": percentiles[49],
                "p99_ms": percentiles[98],
            }
        )
    )


if __name__ == "__main__":
    main()
