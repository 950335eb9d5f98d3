"""The local services some tests need, and whether they answer."""

import socket
import urllib.parse


def redis_answers(url):
    """Whether a Redis server accepts connections at `url` (redis://host:port/db)."""
    parts = urllib.parse.urlsplit(url)
    try:
        socket.create_connection((parts.hostname, parts.port or 6379), timeout=1).close()
    except OSError:
        return False
    return True
