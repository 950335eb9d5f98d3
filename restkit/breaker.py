"""A circuit breaker for a dependency the API can do without (the cache that holds the throttling
counts): after a failure, calls are skipped for a moment instead of each waiting for a timeout."""

import contextlib
import logging
import threading
import time

import redis.exceptions

logger = logging.getLogger("restkit.breaker")

# What a cache client raises when its server is down, refuses, or does not answer in time.
CACHE_ERRORS = (redis.exceptions.RedisError, OSError)


class Unavailable(Exception):
    """The dependency failed just now, or is being left alone after a recent failure."""


class CircuitBreaker:
    def __init__(self, name, *, retry_after=1.0, warn_every=60.0):
        self.name = name
        self.retry_after = retry_after  # seconds without a call after a failure
        self.warn_every = warn_every  # one warning in the log per this many seconds, at most
        self.open_until = 0.0
        self.warned_at = -warn_every
        self.failures = 0  # since the last warning
        self.lock = threading.Lock()
        self.on_failure = []  # callables (metrics), each called with the error

    @contextlib.contextmanager
    def guard(self):
        """Run the block unless the breaker is open; a cache error in it opens the breaker.
        Raises Unavailable in either case."""
        if time.monotonic() < self.open_until:
            raise Unavailable(self.name)
        try:
            yield
        except CACHE_ERRORS as error:
            self.trip(error)
            raise Unavailable(self.name) from error

    def trip(self, error):
        now = time.monotonic()
        with self.lock:
            self.open_until = now + self.retry_after
            self.failures += 1
            warn = now - self.warned_at >= self.warn_every
            if warn:
                self.warned_at, failures, self.failures = now, self.failures, 0
        for callback in self.on_failure:
            callback(error)
        if warn:
            logger.warning(
                "%s unavailable (%s: %s); carrying on without it (%d failure(s) since the "
                "last warning)",
                self.name,
                type(error).__name__,
                error,
                failures,
            )
