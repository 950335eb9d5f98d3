"""The Russian catalog (locale/ru/LC_MESSAGES): every string of the product's code is in it,
translated, with the same placeholders, and the committed django.mo is exactly its compiled
form, so that a fresh machine needs no gettext tools."""

import re
from collections import Counter
from pathlib import Path

import polib
import pytest
from django.conf import settings
from django.core.management import call_command

LOCALE = Path(settings.LOCALE_PATHS[0])
TRANSLATED = [code for code, _ in settings.LANGUAGES if code != settings.LANGUAGE_CODE]
# %(name)s, %s, %d..., and {name}: what Python fills in; "%%" is a literal percent sign.
PLACEHOLDER = re.compile(r"%(?:\([^)]*\))?[-#0 +]*\d*(?:\.\d+)?[sdifrxXeEgGc%]|\{[^{}\s]*\}")


def po_path(language):
    return LOCALE / language / "LC_MESSAGES" / "django.po"


def catalog(language):
    return polib.pofile(str(po_path(language)), wrapwidth=0)


def placeholders(text):
    return Counter(match for match in PLACEHOLDER.findall(text) if match != "%%")


def messages(entries):
    """(context, id, plural id) -> the translation(s), as gettext looks them up."""
    found = {}
    for entry in entries:
        key = (entry.msgctxt or "", entry.msgid, entry.msgid_plural or "")
        if entry.msgid_plural:
            found[key] = tuple(entry.msgstr_plural[index] for index in sorted(entry.msgstr_plural))
        else:
            found[key] = entry.msgstr
    return found


def test_russian_is_a_language_of_the_product():
    assert settings.LANGUAGE_CODE == "en"
    assert TRANSLATED == ["ru"]
    assert "django.middleware.locale.LocaleMiddleware" in settings.MIDDLEWARE


@pytest.mark.parametrize("language", TRANSLATED)
def test_every_string_has_a_translation(language):
    po = catalog(language)
    untranslated = [entry.msgid for entry in po if not entry.obsolete and not _translated(entry)]
    assert untranslated == []
    assert [entry.msgid for entry in po.fuzzy_entries()] == []
    assert po.obsolete_entries() == []
    assert not po.metadata_is_fuzzy  # msgfmt would leave out the header, and the plural rule


def _translated(entry):
    if entry.msgid_plural:
        return bool(entry.msgstr_plural) and all(entry.msgstr_plural.values())
    return bool(entry.msgstr)


@pytest.mark.parametrize("language", TRANSLATED)
def test_translations_keep_the_placeholders_of_the_original(language):
    wrong = []
    for entry in catalog(language).translated_entries():
        if entry.msgid_plural:
            expected = placeholders(entry.msgid_plural)
            assert placeholders(entry.msgid) <= expected, entry.msgid
            translations = entry.msgstr_plural.values()
        else:
            expected = placeholders(entry.msgid)
            translations = [entry.msgstr]
        wrong += [(entry.msgid, text) for text in translations if placeholders(text) != expected]
    assert wrong == []


def test_the_placeholder_check_sees_every_kind():
    assert placeholders("%(count)s of %s, {name} and %d%%") == Counter(
        {"%(count)s": 1, "%s": 1, "{name}": 1, "%d": 1}
    )


@pytest.mark.parametrize("language", TRANSLATED)
def test_the_committed_mo_is_the_po_compiled(language, tmp_path):
    """Compared by content, not by date (git keeps none): a .po edited without `make messages`
    fails here."""
    po = catalog(language)
    compiled = tmp_path / "django.mo"
    po.save_as_mofile(str(compiled))
    committed = polib.mofile(str(po_path(language).with_suffix(".mo")))
    assert messages(committed) == messages(polib.mofile(str(compiled)))
    assert committed.metadata.get("Plural-Forms") == po.metadata["Plural-Forms"]


@pytest.mark.parametrize("language", TRANSLATED)
def test_the_catalog_holds_exactly_the_strings_of_the_code(language, settings, tmp_path):
    """makemessages (Debian's gettext: .ci/run installs it) run into a scratch folder finds the
    same strings as the committed catalog: a string marked since is missing from it, a string
    no longer used is left in it."""
    settings.LOCALE_PATHS = [tmp_path / "locale"]
    call_command("makemessages", locale=[language], verbosity=0, add_location="never")
    extracted = polib.pofile(str(tmp_path / "locale" / language / "LC_MESSAGES" / "django.po"))
    in_code = {(e.msgctxt or "", e.msgid, e.msgid_plural or "") for e in extracted}
    in_catalog = {(e.msgctxt or "", e.msgid, e.msgid_plural or "") for e in catalog(language)}
    assert sorted(in_code - in_catalog) == [], "marked in the code, missing from the catalog"
    assert sorted(in_catalog - in_code) == [], "in the catalog, no longer in the code"
