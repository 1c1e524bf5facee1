"""Funnel maturity: a deal still open at a stage has neither converted nor failed, so young cohorts are not read
as weak; rates resting on too few decided deals are withheld, and the weakest stage is only named on settled ones."""

from datetime import date, timedelta

import numpy as np
import pandas as pd
import pytest

from kpi_core.analysis import Analysis, Selection
from kpi_core.catalog import PROVISIONAL, SETTLED, WITHHELD
from kpi_core.diagnostics import diagnose, reason_text
from kpi_core.mapping import DEFAULT_STAGES
from kpi_core.periods import Granularity, parse_period
from kpi_core.stages import StageStep, weakest_step
from tests.conftest import app_on, deals_frame, funnel_deals, session_of

JUNE = parse_period("2025-06")


def _june(make_session, rows) -> Analysis:
    return Analysis(make_session(deals=deals_frame(rows)), Selection(Granularity.MONTH, JUNE))


def test_worked_example_with_every_deal_decided(make_session):
    """1000 prospects contacted → 250 meetings (25 %) → 100 proposals (40 %) → 60 (60 %) → 40 signed (2/3)."""
    analysis = _june(make_session, funnel_deals([1000, 250, 100, 60, 40]))
    funnel = analysis.funnel()
    assert funnel["reached"].tolist() == [1000, 250, 100, 60, 40]
    assert funnel["conversion_from_previous"].tolist()[1:] == pytest.approx([0.25, 0.40, 0.60, 2 / 3])
    assert funnel["maturity_from_previous"].tolist()[1:] == [SETTLED] * 4
    assert analysis.scorecard(["overall_conversion"])["overall_conversion"].value == pytest.approx(0.04)
    weakest = analysis.weakest_stage()
    assert (weakest.step.from_stage, weakest.step.to_stage, weakest.step.conversion) == (
        "Prospect contacté", "Rendez-vous", 0.25)
    assert weakest.period == JUNE and weakest.selected and weakest.step.decided == 1000


def test_spec_example_shows_its_rates_and_withholds_the_step_resting_on_six_deals(make_session):
    """100 → 25 (25 %) → 10 (40 %, on 25 decided deals: provisional) → 6 → 4: the last step rests on 6 deals."""
    analysis = _june(make_session, funnel_deals([100, 25, 10, 6, 4]))
    funnel = analysis.funnel()
    assert funnel["conversion_from_previous"].tolist()[1:3] == pytest.approx([0.25, 0.40])
    assert funnel["maturity_from_previous"].tolist()[1:] == [SETTLED, PROVISIONAL, PROVISIONAL, WITHHELD]
    assert pd.isna(funnel["conversion_from_previous"].iloc[4])
    assert funnel["raw_conversion"].tolist()[1:] == pytest.approx([0.25, 0.40, 0.60, 4 / 6])  # the raw reading
    overall = analysis.scorecard(["overall_conversion"])["overall_conversion"]
    assert overall.value is None and overall.reason == "reason.few_decided"
    assert reason_text(overall, "fr") == "6 affaires seulement ont quitté « Négociation » (il en faut 10)"
    assert analysis.weakest_stage() is None  # a withheld step could be the weakest


def _cohort(counts: dict[tuple[int, str], int], created: str = "2025-06-10") -> list[tuple]:
    """Deals by (furthest stage rank, status)."""
    rows = []
    for (rank, status), count in counts.items():
        closed = None if status == "open" else created
        rows += [(f"D{rank}{status}{n}", created, DEFAULT_STAGES[rank - 1], status, closed) for n in range(count)]
    return rows


@pytest.mark.parametrize("still_open, maturity, conversion", [
    (1, SETTLED, 40 / 100),       # 1 of 101 still open (1 %): 40 of the 100 that left moved on
    (10, PROVISIONAL, 40 / 100),  # 10 of 110 (9 %): shown, provisional
    (30, WITHHELD, None),         # 30 of 130 (23 %): the final rate could be anywhere in [31 %, 54 %]
])
def test_only_deals_that_left_the_stage_count(make_session, still_open, maturity, conversion):
    analysis = _june(make_session, _cohort({(1, "lost"): 60, (1, "open"): still_open, (2, "lost"): 40}))
    step = analysis.stage_steps()[0]
    assert (step.decided, step.maturity) == (100, maturity)
    assert step.conversion == (pytest.approx(conversion) if conversion else None)


def test_a_young_cohort_is_not_read_as_weak_and_the_diagnosis_rests_on_an_older_one(make_session):
    """May is settled (weakest: the first step, 25 %); June's deals sit at Négociation, none signed yet."""
    may = [(d, "2025-05-12", *rest) for d, _, *rest in funnel_deals([400, 100, 60, 40, 30], "2025-05-12", prefix="M")]
    june = _cohort({(1, "lost"): 300, (2, "lost"): 50, (4, "open"): 50})
    analysis = _june(make_session, may + june)
    steps = analysis.stage_steps()
    assert steps[-1].maturity == WITHHELD and steps[-1].conversion is None  # not "0 %"
    results = analysis.scorecard(["overall_conversion", "deals_created", "deals_open"])
    assert results["overall_conversion"].value is None
    assert results["overall_conversion"].reason == "reason.stage_open"
    weakest = analysis.weakest_stage()
    assert (weakest.period, weakest.selected, weakest.step.position) == (parse_period("2025-05"), False, 1)
    found = diagnose(results, weakest=weakest)
    text = next(d.render("fr") for d in found if d.kpi_id == "weakest_stage")
    assert "mai 2025" in text and "« Prospect contacté → Rendez-vous » (25,0" in text
    assert not any("Signé" in d.render("fr") for d in found)


def _step(position: int, conversion: float | None, maturity: int) -> StageStep:
    return StageStep(DEFAULT_STAGES[position - 1], DEFAULT_STAGES[position], position, 100, 0, conversion, 100,
                     maturity)


@pytest.mark.parametrize("steps, named", [
    ([(0.30, SETTLED), (0.50, SETTLED), (0.60, PROVISIONAL)], 1),
    ([(0.30, SETTLED), (0.20, PROVISIONAL), (0.60, SETTLED)], None),  # the provisional step may be the weakest
    ([(0.30, SETTLED), (None, WITHHELD), (0.60, SETTLED)], None),  # so may the withheld one
    ([(0.50, PROVISIONAL), (0.40, SETTLED), (0.40, SETTLED)], 2),  # the earliest on a tie
    ([(0.30, PROVISIONAL), (0.50, PROVISIONAL)], None),  # never named on a flagged rate
])
def test_the_weakest_stage_is_only_named_when_it_surely_is(steps, named):
    found = weakest_step([_step(position, *step) for position, step in enumerate(steps, start=1)])
    assert (found.position if found else None) == named


TRUE_RATES = (0.25, 0.40, 0.60, 0.70)


def _pipeline(rng: np.random.Generator, today: date, *, loss_delay: float = 1.0, per_day: int = 30,
              months: int = 15) -> pd.DataFrame:
    """Deals created every day for `months` months up to `today`: each waits an exponential time (mean 3 weeks)
    at each stage, then moves on with the stage's true rate or is lost (a loss is recorded `loss_delay` times
    later than a move would be); a deal whose next event falls after `today` is still open at its stage."""
    rows, first = [], today - timedelta(days=30 * months)
    for offset in range((today - first).days + 1):
        created = first + timedelta(days=offset)
        for _ in range(per_day):
            day, rank, status, closed = created, 1, "open", None
            while rank < len(DEFAULT_STAGES):
                moves = rng.random() < TRUE_RATES[rank - 1]
                wait = rng.exponential(21) * (1 if moves else loss_delay)
                if day + timedelta(days=wait) > today:
                    break
                day += timedelta(days=wait)
                if not moves:
                    status, closed = "lost", day
                    break
                rank += 1
            if rank == len(DEFAULT_STAGES):
                status, closed = "won", day
            rows.append((f"D{len(rows)}", created, DEFAULT_STAGES[rank - 1], status, closed))
    frame = pd.DataFrame(rows, columns=["deal_id", "created_date", "stage", "status", "closed_date"])
    for column in ("created_date", "closed_date"):
        frame[column] = pd.to_datetime(frame[column])
    return frame


@pytest.mark.parametrize("loss_delay", [1.0, 3.0])  # losses recorded as fast as moves, or three times slower
def test_generated_pipeline_latest_months_are_true_or_withheld(make_session, loss_delay):
    today = date(2026, 11, 20)
    session = make_session(deals=_pipeline(np.random.default_rng(7), today, loss_delay=loss_delay))
    named = []
    for month in ("2026-06", "2026-07", "2026-08", "2026-09", "2026-10", "2026-11"):
        analysis = Analysis(session, Selection(Granularity.MONTH, parse_period(month)))
        for step in analysis.stage_steps():
            if step.conversion is None:
                continue
            truth = TRUE_RATES[step.position - 1]
            noise = 3.5 * (truth * (1 - truth) / step.decided) ** 0.5  # family-wise: ~25 rates checked
            assert abs(step.conversion - truth) <= noise, (month, step)
        overall = analysis.scorecard(["overall_conversion"])["overall_conversion"]
        assert overall.value is None or overall.value == pytest.approx(np.prod(TRUE_RATES), abs=0.02)
        weakest = analysis.weakest_stage()
        named.append(weakest)
        assert weakest is None or (weakest.step.from_stage, weakest.step.to_stage) == DEFAULT_STAGES[:2]
    assert any(named), "some month names the weakest stage"
    latest = Analysis(session, Selection(Granularity.MONTH, parse_period("2026-11")))
    assert all(step.conversion is None for step in latest.stage_steps()[1:])  # November's deals are days old


def test_without_a_status_the_funnel_page_says_how_it_counts():
    session = session_of({"deals": deals_frame(funnel_deals([100, 25, 10, 6, 4])).drop(columns="status")})
    at = app_on(session, period="2025-06")
    at.switch_page("views/funnel.py").run()
    assert not at.exception
    assert any(caption.value.startswith("Vos affaires n'ont pas de statut") for caption in at.caption)
    session.close()
