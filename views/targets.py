"""Targets & planning: attainment, what is left, where the period will land at the current pace, the pace
needed per working day left, per rep or region — and the reverse planner."""

from ui import planner, sections, state

analysis = sections.kpi_page(
    "targets", ("orders", "targets"),
    ["target", "revenue", "target_attainment", "remaining_to_target", "revenue_projection", "projected_attainment",
     "run_rate_needed", "daily_revenue", "open_pipeline", "pipeline_coverage"],
    ["target_attainment", "revenue_projection"], chart_kpi="projected_attainment",
    after_cards=planner.working_days)
pace = analysis.scorecard(["remaining_to_target", "working_days_left"])
planner.reverse_planner(analysis, state.lang(), remaining=pace["remaining_to_target"].value,
                        working_days_left=int(pace["working_days_left"].value or 0))
