"""`make stack`: the production setup on one machine, in one command: nginx on NGINX_PORT (8080)
in front of gunicorn (`make serve`'s, on 127.0.0.1:PORT), and the mail worker when REDIS_URL is
set; PostgreSQL and Redis are the machine's services (DATABASE_URL, REDIS_URL).

Ctrl-C or SIGTERM stops it the way a deployment does: gunicorn drains first (readiness fails,
requests in progress finish), then the worker finishes its job, then nginx stops.
"""

import os
import pwd
import shutil
import signal
import subprocess
import sys
import tempfile
from pathlib import Path

from nginx_conf import render

ROOT = Path(__file__).resolve().parent.parent


def main():
    python = sys.executable
    port = os.environ.get("PORT", "8000")
    env = {**os.environ, "API_NUM_PROXIES": os.environ.get("API_NUM_PROXIES", "1")}
    env.setdefault("GUNICORN_BIND", f"127.0.0.1:{port}")
    processes = {
        "gunicorn": subprocess.Popen([python, "-m", "gunicorn", "-c", "gunicorn.conf.py"], env=env)
    }
    if env.get("REDIS_URL"):
        worker = [python, "manage.py", "rqworker", "mail", "--with-scheduler"]
        processes["worker"] = subprocess.Popen(worker, env=env)
    else:
        print("No REDIS_URL: no worker; mail is sent by gunicorn after each response.")
    nginx = shutil.which("nginx") or shutil.which("nginx", path="/usr/sbin")
    if nginx:
        folder = Path(tempfile.mkdtemp(prefix="api-nginx-"))
        user = pwd.getpwuid(os.getuid()).pw_name
        static_root = env.get("DJANGO_STATIC_ROOT", ROOT / "staticfiles")
        media_root = env.get("DJANGO_MEDIA_ROOT", ROOT / "media")
        nginx_port = env.get("NGINX_PORT", "8080")
        config = folder / "nginx.conf"
        config.write_text(
            render(
                folder=folder,
                port=nginx_port,
                upstream=env["GUNICORN_BIND"],
                static_root=static_root,
                media_root=media_root,
                user=user,
                host=env.get("NGINX_HOST", "127.0.0.1"),
            )
        )
        command = [nginx, "-p", str(folder), "-c", str(config), "-g", "daemon off;"]
        processes["nginx"] = subprocess.Popen(command)
        print(f"The API: http://127.0.0.1:{nginx_port}/api/ (nginx; configuration in {config})")
    else:
        print("nginx is not installed (apt-get install nginx): gunicorn alone, on", port)

    def stop(signum, frame):
        # In order: gunicorn drains and stops, then the worker, then the proxy in front.
        for name in ("gunicorn", "worker", "nginx"):
            if name in processes:
                processes[name].send_signal(signal.SIGQUIT if name == "nginx" else signal.SIGTERM)
                processes[name].wait()
        sys.exit(0)

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    pid, status = os.wait()  # one of them ended by itself: stop the others
    ended = next(name for name, process in processes.items() if process.pid == pid)
    print(f"{ended} exited ({status}): stopping the stack", file=sys.stderr)
    processes.pop(ended)
    stop(None, None)


if __name__ == "__main__":
    main()
