from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "api"
    verbose_name = "API"

    def ready(self):
        from . import lookups  # noqa: F401  (registers the search's lookup and SQLite function)
