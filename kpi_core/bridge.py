"""Bridges: a change in a KPI that is a product of drivers split into what each driver explains (SPEC §4).

Revenue = active customers × orders per customer × average basket, exactly (orders per customer = sales ÷
customers, basket = revenue ÷ sales); sales velocity = open deals × win rate × average won deal ÷ sales cycle.
Each driver's share of the change is its log-change (negated for a divisor) weighted by the logarithmic mean of
the two totals (the LMDI method): the shares add up to the change exactly and do not depend on the order the
drivers are taken in. Orders without a customer break the revenue identity (their revenue has no customer to
divide by): the drivers are then not shown, and the origins add that revenue as its own step.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import pandas as pd

from kpi_core import catalog
from kpi_core.analysis import change
from kpi_core.formatting import format_change, format_value
from kpi_core.i18n import t


@dataclass(frozen=True)
class Identity:
    """`total` = the product of `drivers`, each with its exponent (1, or -1 for a divisor), exactly; `origins`
    are KPIs that add up to the total. A `breaker` (one of the origins) not zero in either period breaks the
    product (revenue without a customer has no customer to divide by): the drivers are then not shown, and it is
    an origin of its own; otherwise it is left out."""

    total: str
    drivers: tuple[tuple[str, int], ...]
    origins: tuple[str, ...] = ()
    breaker: str | None = None
    texts: str = "bridge"  # the prefix of its texts in the catalog (`bridge.title`…)

    @property
    def driver_ids(self) -> tuple[str, ...]:
        return tuple(kpi_id for kpi_id, _ in self.drivers)

    @property
    def kpis(self) -> tuple[str, ...]:
        return (self.total, *self.driver_ids, *self.origins)


REVENUE = Identity("revenue", (("active_customers", 1), ("orders_per_customer", 1), ("avg_basket", 1)),
                   ("new_customer_revenue", "returning_customer_revenue", "anonymous_revenue"),
                   breaker="anonymous_revenue")
VELOCITY = Identity("sales_velocity", (("open_deals", 1), ("win_rate", 1), ("avg_won_deal", 1),
                                       ("sales_cycle_days", -1)), texts="velocity")


@dataclass(frozen=True)
class Bridge:
    """From `before` to `after`: what each driver explains, and the change each origin brought."""

    identity: Identity
    before: float
    after: float
    drivers: dict[str, float] | None  # None when a driver is zero or the total is not positive in either period
    origins: dict[str, float]
    values: tuple[dict, dict]  # every KPI before and after
    broken: bool = False  # the identity's breaker was not zero: the drivers cannot be shown

    def _records(self, lang: str) -> list[dict]:
        records = []
        for kpi_id in (*self.identity.driver_ids, *self.origins):
            effect = self.origins[kpi_id] if kpi_id in self.origins else (self.drivers or {}).get(kpi_id)
            records.append({"kpi_id": kpi_id, "kpi": catalog.get(kpi_id).label[lang],
                            "before": self.values[0].get(kpi_id), "after": self.values[1].get(kpi_id),
                            "effect": effect})
        return records

    def rows(self, lang: str) -> pd.DataFrame:
        """Each driver and origin (label) before and after, and the euros of revenue change it explains."""
        return pd.DataFrame(self._records(lang))

    def main_driver(self) -> str | None:
        """The driver whose effect weighed most, either way; None when the drivers are not shown or none moved."""
        if not self.drivers or not any(round(effect) for effect in self.drivers.values()):
            return None
        return max(self.drivers, key=lambda kpi_id: abs(self.drivers[kpi_id]))

    def sentence(self, lang: str) -> str | None:
        """'Sales velocity: +12.0 %; the driver that weighed most: win rate (+800 €).'"""
        driver = self.main_driver()
        if driver is None:
            return None
        total = catalog.get(self.identity.total)
        return t("bridge.moved", lang, total=total.label[lang],
                 change=format_change(*change(self.after, self.before), total.unit, lang),
                 driver=catalog.get(driver).label[lang],
                 effect=signed_euros(self.drivers[driver], lang))

    def table(self, lang: str) -> pd.DataFrame:
        """`rows` as text: values in their unit, the change, the signed effect."""
        formatted = []
        for row in self._records(lang):
            kpi = catalog.get(row["kpi_id"])
            formatted.append({
                "kpi": row["kpi"],
                "before": format_value(row["before"], kpi.unit, lang, decimals=kpi.decimals),
                "after": format_value(row["after"], kpi.unit, lang, decimals=kpi.decimals),
                "change": format_change(*change(row["after"], row["before"]), kpi.unit, lang),
                "effect": signed_euros(row["effect"], lang),
            })
        return pd.DataFrame(formatted)


def signed_euros(value: float | None, lang: str) -> str:
    """`+9 466 €` / `-1 200 €`: a contribution to a change."""
    text = format_value(value, "currency", lang, decimals=0)
    return f"+{text}" if value is not None and round(value) > 0 else text


def _log_mean(a: float, b: float) -> float:
    return a if math.isclose(a, b) else (a - b) / (math.log(a) - math.log(b))


def bridge(identity: Identity, before: dict[str, float | None], after: dict[str, float | None]) -> Bridge | None:
    """The bridge between two periods' values of `identity.kpis`; None without the total in either."""
    total = identity.total
    if before.get(total) is None or after.get(total) is None:
        return None
    start, end = before[total], after[total]
    broken = identity.breaker is not None and any(period.get(identity.breaker) for period in (before, after))
    values = [(before.get(k), after.get(k)) for k in identity.driver_ids]
    drivers = None
    if not broken and start > 0 and end > 0 and all(a and b and a > 0 and b > 0 for a, b in values):
        weight = _log_mean(end, start)
        drivers = {k: weight * exponent * math.log(b / a) for (k, exponent), (a, b) in zip(identity.drivers, values)}
    origins = {k: (after.get(k) or 0.0) - (before.get(k) or 0.0) for k in identity.origins
               if k != identity.breaker or broken}
    return Bridge(identity, start, end, drivers, origins, (dict(before), dict(after)), broken)
