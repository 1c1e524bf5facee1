"""Quarterly economics: acquisition cost, lifetime value (cumulative and predictive), LTV/CAC, magic number."""

from ui import sections

sections.kpi_page("economics", ("orders",), ["new_customers", "marketing_spend", "cac", "ltv", "ltv_predictive",
                                            "ltv_cac_ratio", "churn_rate", "magic_number"],
                   ["cac", "ltv_cac_ratio", "magic_number"])
