"""Weekly activity: contacts made, meetings set, and how fast leads get an answer — per rep."""

from ui import sections

sections.kpi_page("activity", ("activities",), ["contacts_volume", "calls_count", "meetings_set", "meeting_rate",
                                                "leads_created", "lead_response_time", "lead_response_time_p90"],
                   ["contacts_volume", "meeting_rate", "lead_response_time"], chart_kpi="contacts_volume")
