"""Targets: attainment, what is left to do, and how much of it the open pipeline covers — per rep or region."""

from ui import sections

sections.kpi_page("targets", ("orders", "targets"), ["target", "revenue", "target_attainment", "remaining_to_target",
                                                    "open_pipeline", "pipeline_coverage"],
                   ["target_attainment"], chart_kpi="target_attainment", per_row=3)
