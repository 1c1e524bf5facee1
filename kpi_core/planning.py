"""What one sale takes and the reverse planner: the sales, deals at each stage and calls an amount needs at the
rates observed in the data; the working days a target is paced on."""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date

import pandas as pd

from kpi_core.formatting import escape_markdown, format_value
from kpi_core.i18n import t
from kpi_core.periods import Window

_ROUNDING = 1e-9  # 50.000000001 sales computed from floats is 50 sales, not 51


@dataclass(frozen=True)
class Step:
    """One step of the chain behind a sale: `calls`, a pipeline `stage` (named) or the `sales` themselves."""

    kind: str
    per_sale: float
    stage: str | None = None

    def label(self, lang: str, *, markdown: bool = False) -> str:
        """`« Rendez-vous »`; the stage name (the user's) escaped for `markdown`."""
        stage = escape_markdown(self.stage) if markdown and self.stage else self.stage
        return t("plan.stage", lang, stage=stage) if self.kind == "stage" else t(f"plan.{self.kind}", lang)


@dataclass(frozen=True)
class Rates:
    """Volumes observed over one span: the average basket, the deals created and how many reach each stage at the
    span's rates (first to last, the last being the sale), and the calls made (None without activity data)."""

    basket: float | None
    reached: tuple[tuple[str, float], ...]
    calls: int | None = None
    start: date | None = None  # the span [start, stop) the volumes come from
    stop: date | None = None

    @property
    def sales(self) -> float:
        return self.reached[-1][1] if self.reached else 0

    def per_sale(self) -> list[Step]:
        """The calls and the deals at each stage before the last that one sale takes, in funnel order (calls
        first). Empty when no deal reached the last stage: there is no rate to plan with."""
        if not self.sales:
            return []
        steps = [Step("stage", reached / self.sales, stage) for stage, reached in self.reached[:-1]]
        return ([Step("calls", self.calls / self.sales)] if self.calls is not None else []) + steps


def _decimals(value: float) -> int:
    """One decimal where it matters (2,5 meetings), none for round or large figures (40, 172 calls)."""
    return 0 if value >= 10 or float(value).is_integer() else 1


def ratios_sentence(rates: Rates, lang: str, *, markdown: bool = False) -> str | None:
    """`1 vente = 152 appels = 38 « Prospect contacté » = …`, or None without a sale."""
    steps = rates.per_sale()
    if not steps:
        return None
    parts = [f"{format_value(step.per_sale, 'count', lang, decimals=_decimals(step.per_sale))} "
             f"{step.label(lang, markdown=markdown)}" for step in steps]
    return " = ".join([t("plan.one_sale", lang), *parts])


def working_days_sentence(window: Window, lang: str) -> str:
    """`21 jours ouvrés écoulés sur 21, 0 restants`."""
    return t("targets.days", lang, elapsed=window.working_days_elapsed, total=window.working_days,
             left=window.working_days_left)


def plan(amount: float, rates: Rates, lang: str, *, working_days_left: int | None = None) -> pd.DataFrame:
    """To bring in `amount` at the current basket: the sales, then each stage back up the funnel, then the
    calls — each rounded up (half a meeting is a meeting), and per working day left when there are some.

    Columns: step (label), per_sale, needed, per_day. Empty without a basket or a sale to take rates from.
    """
    columns = ["step", "per_sale", "needed", "per_day"]
    if not rates.basket or rates.basket <= 0 or not rates.sales or amount <= 0:
        return pd.DataFrame(columns=columns)
    sales = math.ceil(amount / rates.basket - _ROUNDING)
    steps = [Step("sales", 1.0), *reversed(rates.per_sale())]
    table = pd.DataFrame({
        "step": [step.label(lang) for step in steps],
        "per_sale": [step.per_sale for step in steps],
        "needed": [math.ceil(sales * step.per_sale - _ROUNDING) for step in steps],
    })
    table["per_day"] = table["needed"] / working_days_left if working_days_left else None
    return table
