"""gunicorn's settings for `make serve` and production: `gunicorn -c gunicorn.conf.py`."""

import multiprocessing
import os

wsgi_app = "project.wsgi:application"
# Loopback unless told otherwise: a proxy on the same machine reaches it, nobody else does. Behind a
# proxy or load balancer on another host, set GUNICORN_BIND=0.0.0.0:8000.
bind = os.environ.get("GUNICORN_BIND", f"127.0.0.1:{os.environ.get('PORT', '8000')}")
# The usual (2 x cores) + 1 synchronous workers; the API is stateless, so any worker serves any
# request.
workers = int(os.environ.get("GUNICORN_WORKERS", multiprocessing.cpu_count() * 2 + 1))
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "30"))
graceful_timeout = 30
keepalive = 5
# Recycle workers now and then, so that no slow leak grows without bound.
max_requests = 2000
max_requests_jitter = 200
accesslog = "-"
errorlog = "-"
loglevel = os.environ.get("GUNICORN_LOG_LEVEL", "info")
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")
control_socket_disable = True
# The longest request line gunicorn reads (a long `?search=`); longer ones get its own 414 page.
limit_request_line = 8190
