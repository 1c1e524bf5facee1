"""Quarterly economics: acquisition cost, lifetime value (cumulative and predictive), LTV/CAC, magic number, and
ARR when the orders say which lines are subscriptions."""

from ui import sections

sections.kpi_page("economics", ("orders",), ["new_customers", "marketing_spend", "cac", "ltv", "ltv_predictive",
                                            "ltv_cac_ratio", "churn_rate", "magic_number", "arr"],
                   ["cac", "ltv_cac_ratio", "magic_number"], per_row=3)
