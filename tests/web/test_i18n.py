"""Every string a user reads is translated, the catalogs are current, and every refusal the
registry can raise has a sentence."""

from __future__ import annotations

import importlib
import pkgutil
import re
from pathlib import Path

import pytest
from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_dir
from babel.messages.mofile import read_mo
from babel.messages.pofile import read_po
from jinja2 import Environment

import domain
import registry
from domain.errors import DomainError
from web.i18n import TRANSLATIONS
from web.messages import SENTENCES, VARIANTS

ROOT = Path(__file__).resolve().parents[2]
TEMPLATES = ROOT / "web" / "templates"
KEYWORDS = {
    "_": None,
    "gettext": None,
    "ngettext": (1, 2),
    "_l": None,
    "lazy_gettext": None,
    "lazy_pgettext": ((1, "c"), 2),
}
LOCALES = sorted(p.name for p in TRANSLATIONS.iterdir() if p.is_dir())


def extracted() -> set[tuple[str | None, str]]:
    """(context, id) of the messages in the sources now, as ``make messages`` extracts them."""
    method_map = [("web/**.py", "python"), ("web/templates/**.html", "jinja2")]
    found = extract_from_dir(str(ROOT), method_map, keywords=KEYWORDS)
    return {
        (context, message if isinstance(message, str) else message[0])
        for _, _, message, _, context in found
    }


def catalog(locale: str) -> Catalog:
    with (TRANSLATIONS / locale / "LC_MESSAGES" / "messages.po").open("rb") as source:
        return read_po(source, locale=locale)


def test_simplified_chinese_has_a_catalog() -> None:
    assert "zh_Hans" in LOCALES


@pytest.mark.parametrize("locale", LOCALES)
def test_catalog_has_every_source_string_and_nothing_stale(locale: str) -> None:
    in_catalog = {
        (m.context, m.id if isinstance(m.id, str) else m.id[0]) for m in catalog(locale) if m.id
    }
    missing = extracted() - in_catalog
    stale = in_catalog - extracted()
    assert not missing, f"run `make messages` and translate: {sorted(missing)[:5]}"
    assert not stale, f"run `make messages` to drop strings no longer used: {sorted(stale)[:5]}"


@pytest.mark.parametrize("locale", LOCALES)
def test_every_string_is_translated_with_its_placeholders(locale: str) -> None:
    found = catalog(locale)
    untranslated = [
        m.id
        for m in found
        if m.id and (m.fuzzy or not all(m.string if isinstance(m.string, tuple) else [m.string]))
    ]
    assert not untranslated, f"untranslated or fuzzy in {locale}: {untranslated[:5]}"
    problems = [(m.id, [str(e) for e in errors]) for m, errors in found.check()]
    assert not problems, problems[:5]


@pytest.mark.parametrize("locale", LOCALES)
def test_compiled_catalog_matches_its_source(locale: str) -> None:
    mo = TRANSLATIONS / locale / "LC_MESSAGES" / "messages.mo"
    assert mo.exists(), "run `make catalogs` to compile the translations"
    with mo.open("rb") as compiled:
        built = {(m.context, _key(m.id)): _key(m.string) for m in read_mo(compiled) if m.id}
    source = {(m.context, _key(m.id)): _key(m.string) for m in catalog(locale) if m.id}
    assert built == source, "run `make catalogs`"


def _key(value: str | list[str] | tuple[str, ...]) -> str | tuple[str, ...]:
    return value if isinstance(value, str) else tuple(value)


def _visible_text(template: Path) -> list[str]:
    """Text a user would read that is not inside a translation call or a tag."""
    source = template.read_text()
    chunks = []
    for _, kind, value in Environment(extensions=["jinja2.ext.i18n"]).lex(source):
        chunks.append(value if kind == "data" else "\x00")
    text = re.sub(r"<!--.*?-->|<[^>]*>", " ", "".join(chunks), flags=re.S)
    return [
        word
        for word in re.findall(r"[^\s\x00]+", text)
        if re.search(r"[A-Za-z\u4e00-\u9fff]", word)
    ]


@pytest.mark.parametrize(
    "template", sorted(TEMPLATES.rglob("*.html")), ids=lambda p: str(p.relative_to(TEMPLATES))
)
def test_templates_show_no_untranslated_text(template: Path) -> None:
    assert _visible_text(template) == []


def _refusals() -> set[type[DomainError]]:
    for package in (domain, registry):
        for module in pkgutil.walk_packages(package.__path__, f"{package.__name__}."):
            importlib.import_module(module.name)
    found: set[type[DomainError]] = set()
    todo = [DomainError]
    while todo:
        cls = todo.pop()
        found.add(cls)
        todo.extend(cls.__subclasses__())
    return found


@pytest.mark.parametrize("refusal", sorted(_refusals(), key=lambda c: c.code), ids=lambda c: c.code)
def test_every_refusal_has_a_sentence(refusal: type[DomainError]) -> None:
    assert refusal.code in SENTENCES or any(code == refusal.code for code, _ in VARIANTS)
