"""The local services some tests need, whether they answer, and ones the tests start and stop."""

import contextlib
import shutil
import signal
import socket
import subprocess
import threading
import time
import urllib.parse


def redis_answers(url):
    """Whether a Redis server accepts connections at `url` (redis://host:port/db)."""
    parts = urllib.parse.urlsplit(url)
    try:
        socket.create_connection((parts.hostname, parts.port or 6379), timeout=1).close()
    except OSError:
        return False
    return True


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for_port(port, timeout=10.0):
    deadline = time.monotonic() + timeout
    while True:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
            return
        except OSError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.05)


REDIS_SERVER = shutil.which("redis-server")


class RedisProcess:
    """A redis-server of the test's own on a free port, keeping nothing on disk, that the test
    can stop, start again, freeze (SIGSTOP) and thaw (SIGCONT)."""

    def __init__(self, folder):
        self.folder = folder
        self.port = free_port()
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self.process = None

    def start(self):
        self.process = subprocess.Popen(
            [
                *(REDIS_SERVER, "--port", str(self.port), "--bind", "127.0.0.1"),
                *("--save", "", "--appendonly", "no", "--dir", str(self.folder)),
            ],
            stdout=subprocess.DEVNULL,
        )
        wait_for_port(self.port)

    def stop(self):
        self.process.kill()
        self.process.wait()

    def freeze(self):
        self.process.send_signal(signal.SIGSTOP)

    def thaw(self):
        self.process.send_signal(signal.SIGCONT)

    def close(self):
        if self.process and self.process.poll() is None:
            self.thaw()
            self.stop()


@contextlib.contextmanager
def redis_process(folder):
    redis = RedisProcess(folder)
    redis.start()
    try:
        yield redis
    finally:
        redis.close()


class TcpProxy:
    """A TCP relay on a free loopback port to `target` (host, port), which the test can cut
    (every connection closed, new ones refused) and restore, or freeze (nothing passes, as from
    a server that stopped answering) and thaw: a database server as its clients see it."""

    def __init__(self, target):
        self.target = target
        self.port = free_port()
        self.listener = None
        self.connections = set()
        self.lock = threading.Lock()
        self.flowing = threading.Event()
        self.flowing.set()

    def freeze(self):
        self.flowing.clear()

    def thaw(self):
        self.flowing.set()

    def start(self):
        listener = socket.socket()
        listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        listener.bind(("127.0.0.1", self.port))
        listener.listen(64)
        self.listener = listener
        threading.Thread(target=self._accept, args=(listener,), daemon=True).start()

    def cut(self):
        listener, self.listener = self.listener, None
        with contextlib.suppress(OSError):
            listener.shutdown(socket.SHUT_RDWR)
        listener.close()
        with self.lock:
            for sock in self.connections:
                with contextlib.suppress(OSError):
                    sock.shutdown(socket.SHUT_RDWR)
                sock.close()
            self.connections.clear()

    def _accept(self, listener):
        while True:
            try:
                client, _ = listener.accept()
            except OSError:
                return
            try:
                server = socket.create_connection(self.target, timeout=5)
            except OSError:
                client.close()
                continue
            with self.lock:
                self.connections.update((client, server))
            for source, sink in ((client, server), (server, client)):
                threading.Thread(target=self._pipe, args=(source, sink), daemon=True).start()

    def _pipe(self, source, sink):
        with contextlib.suppress(OSError):
            while data := source.recv(65536):
                self.flowing.wait()
                sink.sendall(data)
        with contextlib.suppress(OSError):
            sink.shutdown(socket.SHUT_WR)
