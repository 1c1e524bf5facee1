"""Targets & planning: attainment, what is left, where the period will land at the current pace and as
the history forecasts it, the pace needed per working day left, per rep or region — and the reverse planner."""

from kpi_core.families import TARGETS
from ui import forecast, planner, sections, state


def _after_cards(analysis, lang: str) -> None:
    planner.working_days(analysis, lang)
    forecast.section(analysis, lang)


analysis, results = sections.kpi_page(TARGETS, after_cards=_after_cards)
planner.reverse_planner(analysis, state.lang(), remaining=results["remaining_to_target"].value,
                        working_days_left=analysis.windows.current.working_days_left)
