"""Targets & planning: attainment, what is left, where the period will land at the current pace, the pace
needed per working day left, per rep or region — and the reverse planner."""

from ui import planner, sections, state

analysis, results = sections.kpi_page(
    "targets", ("orders", "targets"),
    ["target", "revenue", "target_attainment", "remaining_to_target", "revenue_projection", "projected_attainment",
     "run_rate_needed", "daily_revenue", "open_pipeline", "pipeline_coverage"],
    ["target_attainment", "revenue_projection"], chart_kpi="projected_attainment",
    after_cards=planner.working_days)
planner.reverse_planner(analysis, state.lang(), remaining=results["remaining_to_target"].value,
                        working_days_left=analysis.windows.current.working_days_left)
