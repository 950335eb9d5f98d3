"""Django's makemessages, reading the product's own code only: its Python packages at the top of
the project (apps, api/, project/), never venv/, node_modules/, the tests or the benchmarks, into
the one catalog of LOCALE_PATHS[0]. `make messages` runs it, then compiles the catalog."""

from pathlib import Path

from django.conf import settings
from django.core.management.commands import makemessages

NOT_THE_PRODUCT = {"tests", "bench"}


def source_folders() -> list[str]:
    """The folders whose strings are the product's, relative to the project's root."""
    packages = {path.parent.name for path in Path(settings.BASE_DIR).glob("*/__init__.py")}
    return sorted(packages - NOT_THE_PRODUCT)


class Command(makemessages.Command):
    # A new string gets no guessed translation from a similar one: it stays empty, and the
    # catalog's test says so, instead of passing with a wrong one.
    msgmerge_options = [*makemessages.Command.msgmerge_options, "--no-fuzzy-matching"]

    def find_files(self, root):
        files = []
        for folder in source_folders():
            files += super().find_files(str(Path(root) / folder))
        for file in files:
            file.locale_dir = self.default_locale_path  # one catalog for the whole product
        return files
