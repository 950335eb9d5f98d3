"""deploy/nginx.conf with one machine's values in the lines marked EDIT."""

from pathlib import Path

TEMPLATE = Path(__file__).with_name("nginx.conf")


def render(*, folder, port, upstream, static_root, media_root, user="www-data", host="0.0.0.0"):
    """The configuration, its pid and temporary files in `folder`; listening on host:port."""
    text = TEMPLATE.read_text()
    for old, new in {
        "user www-data;": f"user {user};",
        "pid /run/nginx-api.pid;": f"pid {folder}/nginx.pid;",
        "/var/lib/nginx/": f"{folder}/",
        "server 127.0.0.1:8000": f"server {upstream}",
        "listen 8080;": f"listen {host}:{port};",
        "/srv/api/static/": f"{static_root}/",
        "/srv/api/media/": f"{media_root}/",
    }.items():
        if old not in text:
            raise ValueError(f"deploy/nginx.conf no longer has {old!r}")
        text = text.replace(old, new)
    return text
