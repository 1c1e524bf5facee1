"""The funnel's transitions as the pages read them: each step's rate on the deals that left the stage and how far
it can be read, and the weakest step a diagnosis may name."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from kpi_core.catalog import SETTLED, WITHHELD
from kpi_core.periods import Period


def number(value) -> float | None:
    """A database value as a float, None for NULL/NaN."""
    return None if value is None or pd.isna(value) else float(value)


@dataclass(frozen=True)
class StageStep:
    """One transition of the funnel: from a stage to the next, its rate on the deals that left the stage (None when
    withheld), how many did (`decided`) and how far the rate can be read (catalog SETTLED, PROVISIONAL, WITHHELD)."""

    from_stage: str
    to_stage: str
    position: int  # 1 for the first transition
    reached_from: int
    reached_to: int
    conversion: float | None
    decided: int = 0
    maturity: int = SETTLED

    @property
    def readable(self) -> bool:
        """Settled on enough decided deals: the only rates a diagnosis may rest on."""
        return self.maturity == SETTLED and self.conversion is not None


@dataclass(frozen=True)
class WeakestStage:
    """The weakest settled transition of the deals created in `period` (the selected one, or the latest before it
    whose rates are settled when the selected one's are not yet)."""

    step: StageStep
    period: Period
    selected: bool




def stage_steps(funnel: pd.DataFrame) -> list[StageStep]:
    """The transitions of one window's funnel (engine.funnel rows of one window and value)."""
    rows = funnel.to_dict("records")
    return [
        StageStep(before["stage"], after["stage"], position, int(before["reached"]), int(after["reached"]),
                  number(after["conversion_from_previous"]), int(after["decided_from_previous"]),
                  int(after["maturity_from_previous"]))
        for position, (before, after) in enumerate(zip(rows, rows[1:]), start=1)
    ]


def weakest_step(steps: list[StageStep]) -> StageStep | None:
    """The settled transition with the lowest rate (the earliest on a tie) — only when it is surely the weakest: no
    transition is withheld, and none that is provisional shows a lower rate."""
    if not steps or any(step.maturity == WITHHELD for step in steps):
        return None
    settled = [step for step in steps if step.readable]
    if not settled:
        return None
    weakest = min(settled, key=lambda step: (step.conversion, step.position))
    if any(step.conversion < weakest.conversion for step in steps if not step.readable):
        return None
    return weakest
