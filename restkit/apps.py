from django.apps import AppConfig


class RestkitConfig(AppConfig):
    """The REST plumbing the apps share; it imports none of them."""

    name = "restkit"
    verbose_name = "REST toolkit"

    def ready(self):
        from django.core.signals import request_finished, request_started

        from . import mail
        from .logs import forget_request_id

        request_finished.connect(forget_request_id, dispatch_uid="restkit.logs")
        request_started.connect(mail.request_started, dispatch_uid="restkit.mail")
        request_finished.connect(mail.request_finished, dispatch_uid="restkit.mail")

        # django-prometheus registers its request metrics when its middleware is first built, in
        # a singleton that is not thread-safe: built in several threads at once (the test client
        # builds the middleware on each request), it registers them twice and fails. Once, here.
        from django_prometheus.middleware import Metrics

        Metrics.get_instance()

        from . import (
            lookups,  # noqa: F401  (registers the search's lookup and SQLite function)
            schema,  # noqa: F401  (registers the OpenAPI extensions)
        )
