"""Real threads for the concurrency tests: requests released together, or sent in the background.

Each thread has its own database connection and closes it when it ends. The tests that use these
helpers need `django_db(transaction=True)`: the threads see only what is committed.
"""

import contextlib
import threading

from django.db import connection

THREADS = 8


def simultaneously(request, count=THREADS):
    """Run request(i) in `count` threads released together; return the responses."""
    barrier = threading.Barrier(count)
    responses = [None] * count

    def run(i):
        try:
            barrier.wait()
            responses[i] = request(i)
        finally:
            connection.close()  # each thread has its own connection

    threads = [threading.Thread(target=run, args=(i,)) for i in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return responses


def statuses(responses):
    return sorted(response.status_code for response in responses)


@contextlib.contextmanager
def repeatedly(request, every=0.015):
    """While the block runs, a thread calls request(n) for n = 0, 1, 2..., waiting `every`
    seconds between the end of one call and the next. Yields the list of responses, which grows
    as they come; when the block ends, the call in flight finishes before the block is left."""
    stop = threading.Event()
    responses = []

    def run():
        try:
            n = 0
            while not stop.is_set():
                responses.append(request(n))
                n += 1
                stop.wait(every)
        finally:
            connection.close()

    thread = threading.Thread(target=run)
    thread.start()
    try:
        yield responses
    finally:
        stop.set()
        thread.join(timeout=60)
