"""Django's makemessages, reading the product's own code only: the folders of its apps (those
with an apps.py at the top of the project) and project/, never venv/, node_modules/ or the tests,
into the one catalog of LOCALE_PATHS[0]. `make messages` runs it, then compiles the catalog."""

from pathlib import Path

from django.conf import settings
from django.core.management.commands import makemessages


def source_folders() -> list[str]:
    """The folders whose strings are the product's, relative to the project's root."""
    root = Path(settings.BASE_DIR)
    apps = sorted(path.parent.name for path in root.glob("*/apps.py"))
    return ["project", *apps]


class Command(makemessages.Command):
    def find_files(self, root):
        files = []
        for folder in source_folders():
            files += super().find_files(str(Path(root) / folder))
        for file in files:
            file.locale_dir = self.default_locale_path  # one catalog for the whole product
        return files
