"""Working days in France: Monday to Friday, French public holidays excluded (the `holidays` package keeps
their dates — Easter Monday, Ascension and Whit Monday move every year)."""

from __future__ import annotations

import functools
from datetime import date, timedelta

import holidays

_LANGUAGES = {"fr": "fr", "en": "en_US"}


@functools.cache
def public_holidays(year: int, lang: str = "fr") -> dict[date, str]:
    """The national public holidays of metropolitan France in `year`, named in `lang` (Alsace-Moselle's two
    extra days are not included)."""
    return dict(holidays.country_holidays("FR", years=year, language=_LANGUAGES[lang]))


def holidays_off(start: date, stop: date, lang: str) -> list[tuple[date, str]]:
    """The public holidays in [start, stop) that fall on a weekday: the ones that cost a working day."""
    days = (start + timedelta(days=offset) for offset in range(max((stop - start).days, 0)))
    return [(day, public_holidays(day.year, lang)[day]) for day in days
            if day.weekday() < 5 and day in public_holidays(day.year, lang)]


def is_working_day(day: date, *, exclude_holidays: bool = True) -> bool:
    return day.weekday() < 5 and not (exclude_holidays and day in public_holidays(day.year))


@functools.cache  # every rerun builds ~15 windows from the same few periods
def working_days(start: date, stop: date, *, exclude_holidays: bool = True) -> int:
    """Working days in [start, stop)."""
    return sum(is_working_day(start + timedelta(days=offset), exclude_holidays=exclude_holidays)
               for offset in range(max((stop - start).days, 0)))


def _month_start(day: date) -> date:
    return day.replace(day=1)


def _next_month(day: date) -> date:
    return (day.replace(day=28) + timedelta(days=4)).replace(day=1)


@functools.cache
def month_shares(start: date, stop: date, *, exclude_holidays: bool = True) -> tuple[tuple[date, float], ...]:
    """Each month overlapping [start, stop) with the share of its working days inside: a monthly target is
    spread over a week by working days (a week holding the 1st does not carry the whole month)."""
    shares, month = [], _month_start(start)
    while month < stop:
        following = _next_month(month)
        inside = working_days(max(month, start), min(following, stop), exclude_holidays=exclude_holidays)
        total = working_days(month, following, exclude_holidays=exclude_holidays)
        shares.append((month, inside / total if total else 0.0))
        month = following
    return tuple(shares)
