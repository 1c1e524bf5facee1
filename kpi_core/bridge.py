"""The revenue bridge: a change in revenue split into its drivers (SPEC §4).

Revenue = active customers × orders per customer × average basket, exactly (orders per customer = sales ÷
customers, basket = revenue ÷ sales). Each driver's share of the change is its log-change weighted by the
logarithmic mean of the two revenues (the LMDI method): the shares add up to the change exactly and do not
depend on the order the drivers are taken in. Orders without a customer break the identity (their revenue has no
customer to divide by): the drivers are then not shown, and the origins add that revenue as its own step.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import pandas as pd

from kpi_core import catalog
from kpi_core.analysis import change
from kpi_core.formatting import format_change, format_value

DRIVERS = ("active_customers", "orders_per_customer", "avg_basket")
ORIGINS = ("new_customer_revenue", "returning_customer_revenue", "anonymous_revenue")
KPIS = ("revenue", *DRIVERS, *ORIGINS)


@dataclass(frozen=True)
class Bridge:
    """From `before` to `after`: what each driver explains, and the change from new and returning customers."""

    before: float
    after: float
    drivers: dict[str, float] | None  # None when a driver is zero or revenue is not positive in either period
    origins: dict[str, float]
    values: tuple[dict, dict]  # every KPI before and after

    def _records(self, lang: str) -> list[dict]:
        records = []
        for kpi_id in (*DRIVERS, *self.origins):
            effect = (self.drivers or {}).get(kpi_id) if kpi_id in DRIVERS else self.origins[kpi_id]
            records.append({"kpi_id": kpi_id, "kpi": catalog.get(kpi_id).label[lang],
                            "before": self.values[0].get(kpi_id), "after": self.values[1].get(kpi_id),
                            "effect": effect})
        return records

    def rows(self, lang: str) -> pd.DataFrame:
        """Each driver and origin (label) before and after, and the euros of revenue change it explains."""
        return pd.DataFrame(self._records(lang))

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


def revenue_bridge(before: dict[str, float | None], after: dict[str, float | None]) -> Bridge | None:
    """The bridge between two periods' values of `KPIS`; None without revenue in either."""
    if before.get("revenue") is None or after.get("revenue") is None:
        return None
    start, end = before["revenue"], after["revenue"]
    values = [(before.get(k), after.get(k)) for k in DRIVERS]
    drivers = None
    identified = all(not (period.get("anonymous_revenue") or 0) for period in (before, after))
    if identified and start > 0 and end > 0 and all(a and b and a > 0 and b > 0 for a, b in values):
        weight = _log_mean(end, start)
        drivers = {k: weight * math.log(b / a) for k, (a, b) in zip(DRIVERS, values)}
    origins = {k: (after.get(k) or 0.0) - (before.get(k) or 0.0) for k in ORIGINS
               if k != "anonymous_revenue" or not identified}
    return Bridge(start, end, drivers, origins, (dict(before), dict(after)))
