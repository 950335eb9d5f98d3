"""Settings for the test run: the real settings, a dummy secret and a fast password hasher."""

import os
import tempfile

os.environ.setdefault("DJANGO_SECRET_KEY", "test-only-insecure-key-for-the-test-run-only")
os.environ.setdefault("DJANGO_MEDIA_ROOT", tempfile.mkdtemp(prefix="test-media-"))
os.environ.setdefault("DJANGO_STATIC_ROOT", tempfile.mkdtemp(prefix="test-static-"))

from project.settings import *

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]

# No collectstatic before the tests: plain static storage, files found in the apps.
STORAGES = {
    **STORAGES,
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
# WhiteNoise scans every static file each time a test client builds its handler; the in-process
# tests never fetch static files (the end-to-end tests run the real settings under gunicorn).
MIDDLEWARE = [m for m in MIDDLEWARE if not m.startswith("whitenoise.")]

if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # A file, not Django's shared in-memory database: threads in the concurrency tests then wait
    # for the write lock as they do under `make run`, instead of failing at once.
    name = f"test-api-{os.getpid()}.sqlite3"  # runs at the same time do not share it
    DATABASES["default"]["TEST"] = {"NAME": os.path.join(tempfile.gettempdir(), name)}
