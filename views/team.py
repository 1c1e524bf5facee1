"""Team (monthly): leads, what each role converts, both win rates, per rep, and what one sale takes."""

from kpi_core.families import TEAM
from ui import planner, sections

sections.kpi_page(TEAM, after_cards=planner.ratios)
