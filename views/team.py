"""Team (monthly): leads, what each role converts, both win rates, sales velocity and what moved it, per rep, and
what one sale takes."""

from kpi_core.bridge import VELOCITY
from kpi_core.families import TEAM
from ui import bridge, planner, sections


def _after_cards(analysis, lang):
    planner.ratios(analysis, lang)
    bridge.section(analysis, lang, VELOCITY)


sections.kpi_page(TEAM, after_cards=_after_cards)
