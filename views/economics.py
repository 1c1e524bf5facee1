"""Quarterly economics: acquisition cost, lifetime value (cumulative and predictive), LTV/CAC, magic number, and
ARR when the orders say which lines are subscriptions."""

from kpi_core.families import ECONOMICS
from ui import sections

sections.kpi_page(ECONOMICS)
