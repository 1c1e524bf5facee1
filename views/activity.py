"""Weekly activity: contacts made, meetings set, and how fast leads get an answer — per rep."""

from kpi_core.families import ACTIVITY
from ui import sections

sections.kpi_page(ACTIVITY)
