"""Statistics for fair group comparisons: intervals and tests, so a difference is called real only when it is."""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
from scipy import stats

CONFIDENCE = 0.95
# Below this many observations a group's value is flagged: one deal more or less moves a rate by points.
SMALL_GROUP = 30


@dataclass(frozen=True)
class Estimate:
    """A group's value with its confidence interval and how many observations it rests on."""

    value: float | None
    low: float | None
    high: float | None
    observations: int

    @property
    def small(self) -> bool:
        return self.observations < SMALL_GROUP


def wilson_interval(successes: int, trials: int, confidence: float = CONFIDENCE) -> Estimate:
    """A proportion with its Wilson score interval (sound near 0 %, 100 % and for small samples)."""
    if trials <= 0:
        return Estimate(None, None, None, 0)
    z = stats.norm.ppf(0.5 + confidence / 2)
    share = successes / trials
    centre = (share + z * z / (2 * trials)) / (1 + z * z / trials)
    half = z * math.sqrt(share * (1 - share) / trials + z * z / (4 * trials * trials)) / (1 + z * z / trials)
    # The interval always holds the observed share (rounding could leave 1.0 just outside at 100 %).
    return Estimate(share, float(max(0.0, min(centre - half, share))), float(min(1.0, max(centre + half, share))),
                    trials)


def product_interval(steps: list[tuple[int, int]], confidence: float = CONFIDENCE) -> Estimate:
    """A product of proportions (moved on, decided) — a conversion through several stages — with its delta-method
    interval on the log scale, where the variances of independent steps add up: var(log p̂) ≈ (1 − p) ÷ successes.
    A step at zero makes the product zero, bounded above by that step's Wilson interval. `observations` is the
    fewest decided deals of a step."""
    if not steps or any(trials <= 0 for _, trials in steps):
        return Estimate(None, None, None, 0)
    fewest = min(trials for _, trials in steps)
    zero = next(((s, n) for s, n in steps if s == 0), None)
    if zero is not None:
        return Estimate(0.0, 0.0, wilson_interval(*zero, confidence).high, fewest)
    value = math.prod(s / n for s, n in steps)
    spread = math.sqrt(_log_variance(steps))
    z = stats.norm.ppf(0.5 + confidence / 2)
    return Estimate(value, value * math.exp(-z * spread), min(1.0, value * math.exp(z * spread)), fewest)


def _log_variance(steps: list[tuple[int, int]]) -> float:
    return sum((1 - s / n) / s for s, n in steps)


def product_p_value(steps_a: list[tuple[int, int]], steps_b: list[tuple[int, int]]) -> float | None:
    """Two-sided z-test on the log scale that two products of proportions differ; None when one is empty or
    zero (no log) or both are certain."""
    if not steps_a or not steps_b or any(s <= 0 for s, _ in (*steps_a, *steps_b)):
        return None
    spread = math.sqrt(_log_variance(steps_a) + _log_variance(steps_b))
    if spread == 0:
        return None
    z = sum(math.log(s / n) for s, n in steps_a) - sum(math.log(s / n) for s, n in steps_b)
    return float(2 * stats.norm.sf(abs(z) / spread))


def mean_interval(values, confidence: float = CONFIDENCE) -> Estimate:
    """A mean with its Student t interval."""
    values = np.asarray(values, dtype=float)
    count = len(values)
    if count == 0:
        return Estimate(None, None, None, 0)
    mean = float(values.mean())
    if count == 1:
        return Estimate(mean, None, None, 1)
    half = stats.t.ppf(0.5 + confidence / 2, count - 1) * values.std(ddof=1) / math.sqrt(count)
    return Estimate(mean, mean - half, mean + half, count)


def two_proportion_p_value(successes_a: int, trials_a: int, successes_b: int, trials_b: int) -> float | None:
    """Two-sided pooled z-test that two proportions differ; None when a group is empty or all equal."""
    if trials_a <= 0 or trials_b <= 0:
        return None
    pooled = (successes_a + successes_b) / (trials_a + trials_b)
    spread = math.sqrt(pooled * (1 - pooled) * (1 / trials_a + 1 / trials_b))
    if spread == 0:
        return None
    z = (successes_a / trials_a - successes_b / trials_b) / spread
    return float(2 * stats.norm.sf(abs(z)))


def welch_p_value(values_a, values_b) -> float | None:
    """Two-sided Welch t-test that two means differ (unequal variances); None with fewer than 2 values a side."""
    a, b = np.asarray(values_a, dtype=float), np.asarray(values_b, dtype=float)
    if len(a) < 2 or len(b) < 2 or (a.std() == 0 and b.std() == 0):
        return None
    return float(stats.ttest_ind(a, b, equal_var=False).pvalue)


def significant(p_value: float | None, confidence: float = CONFIDENCE) -> bool:
    return p_value is not None and p_value < 1 - confidence
