"""Targets & planning: attainment, what is left, where the period will land at the current pace, the pace
needed per working day left, per rep or region — and the reverse planner."""

from kpi_core.families import TARGETS
from ui import planner, sections, state

analysis, results = sections.kpi_page(TARGETS, after_cards=planner.working_days)
planner.reverse_planner(analysis, state.lang(), remaining=results["remaining_to_target"].value,
                        working_days_left=analysis.windows.current.working_days_left)
