"""Simplified Chinese by default, English on request (the choice is kept in the session).

Source strings are English; web/translations holds the Chinese catalog, compiled to ``.mo``
by the build (``make catalogs``). The browser's Accept-Language is deliberately not
consulted: the registry's users work in Chinese unless they choose otherwise.
"""

from __future__ import annotations

from contextvars import ContextVar
from pathlib import Path
from typing import Any

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from flask import Flask, session
from flask_babel import Babel, get_locale, get_translations

DEFAULT = "zh_Hans"
LANGUAGES = {"zh_Hans": "中文", "en": "English"}
TRANSLATIONS = Path(__file__).parent / "translations"


def chosen_language() -> str:
    language = session.get("language")
    return language if language in LANGUAGES else DEFAULT


def html_lang() -> str:
    """The page's ``lang`` attribute (BCP 47: zh-Hans, en)."""
    return str(get_locale() or DEFAULT).replace("_", "-")


_CATALOG: ContextVar[Any] = ContextVar("catalog", default=None)
_TRANSLATED: dict[tuple[int, int], str] = {}


def catalog() -> Any:
    """The request's translations, looked up once per request (a page asks hundreds of
    times); outside a request, Flask-Babel's own lookup."""
    return _CATALOG.get() or get_translations()


def translated(lazy: Any) -> str:
    """A module-level lazy string (a vocabulary's name) in the request's language,
    translated once per language and process."""
    key = (id(catalog()), id(lazy))
    found = _TRANSLATED.get(key)
    if found is None:
        found = _TRANSLATED[key] = str(lazy)
    return found


def init_babel(app: Flask) -> Babel:
    app.config["BABEL_DEFAULT_LOCALE"] = DEFAULT
    app.config["BABEL_DEFAULT_TIMEZONE"] = "Asia/Shanghai"
    app.config["BABEL_TRANSLATION_DIRECTORIES"] = str(TRANSLATIONS)
    babel = Babel(app, locale_selector=chosen_language)
    app.jinja_env.globals.update(html_lang=html_lang, languages=LANGUAGES)

    @app.before_request
    def choose_catalog() -> None:
        _CATALOG.set(get_translations())

    @app.teardown_request
    def forget_catalog(_error: BaseException | None) -> None:
        _CATALOG.set(None)

    app.jinja_env.install_gettext_callables(  # type: ignore[attr-defined]
        gettext=lambda s: catalog().ugettext(s),
        ngettext=lambda s, p, n: catalog().ungettext(s, p, n),
        pgettext=lambda c, s: catalog().upgettext(c, s),
        npgettext=lambda c, s, p, n: catalog().unpgettext(c, s, p, n),
        newstyle=True,
    )
    return babel


def compile_catalogs(directory: Path = TRANSLATIONS) -> list[Path]:
    """Compile each ``.po`` whose ``.mo`` is missing or older; return what was compiled.

    ``make`` compiles with ``pybabel compile``; this lets ``registry serve`` start from an
    installation that skipped the build step.
    """
    compiled = []
    for po in sorted(directory.glob("*/LC_MESSAGES/*.po")):
        mo = po.with_suffix(".mo")
        if mo.exists() and mo.stat().st_mtime >= po.stat().st_mtime:
            continue
        with po.open("rb") as source:
            catalog = read_po(source, locale=po.parent.parent.name)
        with mo.open("wb") as target:
            write_mo(target, catalog)
        compiled.append(mo)
    return compiled
