"""Team (monthly): leads, what each role converts, both win rates, per rep, and what one sale takes."""

from ui import planner, sections

sections.kpi_page("team", ("deals",), ["mql_count", "leads_qualified", "bdr_capacity", "ae_capacity", "deals_won",
                                      "win_rate", "win_rate_contacted"],
                   ["bdr_capacity", "ae_capacity", "win_rate"], chart_kpi="win_rate", after_cards=planner.ratios)
