"""Intervals and tests against hand-computed values and scipy's own implementations."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from scipy import stats as scipy_stats

from kpi_core.stats import (
    Estimate,
    mean_interval,
    significant,
    two_proportion_p_value,
    welch_p_value,
    wilson_interval,
)


@pytest.mark.parametrize("successes, trials, low, high", [
    # By hand, z = 1.959964: 25/100 → centre 0.259250 ± 0.083795 = [0.17545, 0.34304].
    (25, 100, 0.17545, 0.34304),
    (0, 10, 0.0, 0.27753),
    (10, 10, 0.72247, 1.0),
    (40, 100, 0.30940, 0.49800),
])
def test_wilson_interval(successes, trials, low, high):
    estimate = wilson_interval(successes, trials)
    assert estimate.value == successes / trials
    assert (estimate.low, estimate.high) == (pytest.approx(low, abs=1e-4), pytest.approx(high, abs=1e-4))


def test_wilson_matches_scipy_binomtest():
    interval = scipy_stats.binomtest(37, 120).proportion_ci(confidence_level=0.95, method="wilson")
    estimate = wilson_interval(37, 120)
    assert (estimate.low, estimate.high) == (pytest.approx(interval.low), pytest.approx(interval.high))


def test_empty_groups_have_no_value():
    assert wilson_interval(0, 0) == Estimate(None, None, None, 0)
    assert mean_interval([]) == Estimate(None, None, None, 0)
    assert two_proportion_p_value(1, 0, 1, 10) is None
    assert welch_p_value([1.0], [1.0, 2.0]) is None


def test_two_proportion_test_equals_the_chi_square_test():
    # The pooled z-test is the 2×2 chi-square test without continuity correction.
    table = [[25, 75], [40, 60]]
    chi2 = scipy_stats.chi2_contingency(table, correction=False)
    assert two_proportion_p_value(25, 100, 40, 100) == pytest.approx(chi2.pvalue)
    # By hand: pooled 0.325, spread sqrt(0.325·0.675·0.02) = 0.066238, z = −0.15/0.066238 = −2.2646.
    assert two_proportion_p_value(25, 100, 40, 100) == pytest.approx(2 * scipy_stats.norm.sf(2.2646), rel=1e-3)
    assert significant(two_proportion_p_value(25, 100, 40, 100))
    assert not significant(two_proportion_p_value(3, 10, 4, 10))


def test_welch_matches_scipy_and_a_hand_computation():
    a, b = [1200.0, 1500.0, 900.0, 1800.0, 1100.0], [800.0, 950.0, 700.0, 1000.0]
    assert welch_p_value(a, b) == pytest.approx(scipy_stats.ttest_ind(a, b, equal_var=False).pvalue)
    # By hand: means 1300 / 862.5, variances 125 000 / 18 958.3 → t = 437.5 / sqrt(25 000 + 4 739.6) = 2.5369.
    t = (np.mean(a) - np.mean(b)) / math.sqrt(np.var(a, ddof=1) / 5 + np.var(b, ddof=1) / 4)
    assert t == pytest.approx(2.5369, abs=1e-3)
    assert scipy_stats.ttest_ind(a, b, equal_var=False).statistic == pytest.approx(t)


def test_mean_interval_is_the_t_interval():
    values = [1200.0, 1500.0, 900.0, 1800.0, 1100.0]
    low, high = scipy_stats.t.interval(0.95, 4, loc=np.mean(values), scale=scipy_stats.sem(values))
    estimate = mean_interval(values)
    assert (estimate.value, estimate.low, estimate.high) == (1300.0, pytest.approx(low), pytest.approx(high))
    assert estimate.small and not mean_interval(range(30)).small


@given(st.integers(0, 500), st.integers(1, 500))
def test_wilson_interval_holds_the_rate_within_0_and_1(successes, trials):
    successes = min(successes, trials)
    estimate = wilson_interval(successes, trials)
    assert 0 <= estimate.low <= estimate.value <= estimate.high <= 1
