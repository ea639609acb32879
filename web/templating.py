"""The Jinja environment of the registry's pages.

Pages render rows of the read models, which are dicts. Jinja looks ``row.title`` up as an
attribute first and, for a dict, only then as a key: the ``AttributeError`` raised and
caught for every cell cost more than the rest of a 50-row list page. Here a dict's keys are
looked up first, except names that are a dict's own attributes (``items``, ``get``, …), so
every template means what it meant under Jinja's rule.
"""

from __future__ import annotations

from typing import Any

from flask import Flask
from flask.templating import Environment

DICT_ATTRIBUTES = frozenset(dir(dict))


class RowsEnvironment(Environment):
    def getattr(self, obj: Any, attribute: str) -> Any:
        if type(obj) is dict and attribute not in DICT_ATTRIBUTES:
            try:
                return obj[attribute]
            except KeyError:
                return self.undefined(obj=obj, name=attribute)
        return super().getattr(obj, attribute)


class RegistryFlask(Flask):
    """Flask whose templates look a row's keys up first (``RowsEnvironment``)."""

    jinja_environment = RowsEnvironment
