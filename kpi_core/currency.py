"""The currency amounts are in: recognised from the symbols and codes in a file's amount cells and headers, one per
loaded data set, and the one every amount is displayed in (set for the current run of a page or command)."""

from __future__ import annotations

import re
from contextlib import contextmanager
from contextvars import ContextVar

import pandas as pd

CURRENCIES = ("EUR", "USD", "GBP", "CHF", "CAD")
DEFAULT = "EUR"
# A symbol or code as exports write it, and the currency it means (`$` alone is the US dollar).
_MARKS = {"€": "EUR", "eur": "EUR", "euro": "EUR", "euros": "EUR", "$": "USD", "usd": "USD", "us$": "USD",
          "£": "GBP", "gbp": "GBP", "chf": "CHF", "cad": "CAD", "ca$": "CAD", "c$": "CAD"}
_PATTERN = re.compile(r"(?i)(?<![a-z])(us\$|ca\$|c\$|€|\$|£|eur|euros?|usd|gbp|chf|cad)(?![a-z])")
SAMPLE = 2000  # cells of an amount column looked at
COLUMN_NAMES = ("devise", "monnaie", "currency", "code devise")  # words naming a column that says the currency

_SHOWN: ContextVar[str] = ContextVar("currency", default=DEFAULT)


def found_in(cells: pd.Series, header: str = "") -> set[str]:
    """The currencies written in a column's header and in its first cells: `Montant (€)`, `$1,234.50`, `12 USD`."""
    text = " ".join([str(header), *cells.head(SAMPLE).dropna().astype(str).tolist()])
    return {_MARKS[mark.lower()] for mark in _PATTERN.findall(text)}


def names_it(header: str) -> bool:
    """Whether a (normalized) header names a currency column: `devise`, `Deal - Currency`, `Opportunity Currency`,
    `Currency code`."""
    return any(f" {name} " in f" {header} " for name in COLUMN_NAMES)


def use(code: str | None) -> None:
    """Display amounts in this currency for the rest of this run (a page's script, a command)."""
    _SHOWN.set(code or DEFAULT)


def shown() -> str:
    return _SHOWN.get()


@contextmanager
def shown_as(code: str | None):
    """Amounts in `code` inside the block (a file's own, before it is loaded), as before after it."""
    token = _SHOWN.set(code or shown())
    try:
        yield
    finally:
        _SHOWN.reset(token)


def common(found: list[str | None]) -> str | None:
    """The one currency of files loaded together (files that say none follow the others); ValueError naming them
    when they differ."""
    codes = sorted({code for code in found if code})
    if len(codes) > 1:
        raise ValueError(", ".join(codes))
    return codes[0] if codes else None
