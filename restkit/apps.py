from django.apps import AppConfig


class RestkitConfig(AppConfig):
    """The REST plumbing the apps share; it imports none of them."""

    name = "restkit"
    verbose_name = "REST toolkit"

    def ready(self):
        from . import (
            lookups,  # noqa: F401  (registers the search's lookup and SQLite function)
            schema,  # noqa: F401  (registers the OpenAPI extensions)
        )
