from django.apps import AppConfig


class OrgsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "orgs"
    verbose_name = "Organizations"

    def ready(self):
        from . import signals  # noqa: F401  (connects the users_count bookkeeping)
