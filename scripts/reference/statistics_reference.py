#!/usr/bin/python3
"""Compute reference values for src/cycle/understand/statistics.ts with SciPy.

Run from the repository root with Debian's Python, which has SciPy 1.10, then
format the output for the repository's Prettier check:

    /usr/bin/python3 scripts/reference/statistics_reference.py
    npx prettier --write src/cycle/understand/reference/statistics-reference.json

It writes src/cycle/understand/reference/statistics-reference.json, which
statistics.test.ts reads. The Wilson and Newcombe intervals are written here
from their formulas, apart from the TypeScript code. The Wilson interval is
checked against SciPy's, and the Newcombe interval against rounded examples
for method 10 of Newcombe (1998), "Interval estimation for the difference
between independent proportions: comparison of eleven methods", Statistics in
Medicine 17:873-890.
"""

import json
import math
import pathlib
import sys
import warnings

import numpy as np
from scipy import stats

OUTPUT = pathlib.Path("src/cycle/understand/reference/statistics-reference.json")
CONFIDENCE = 0.95


def upper_tail(confidence):
    return 1 - (1 - confidence) / 2


def wilson(successes, trials, confidence=CONFIDENCE):
    """Wilson score interval without continuity correction (Wilson 1927)."""
    z = stats.norm.ppf(upper_tail(confidence))
    p = successes / trials
    denominator = 1 + z * z / trials
    centre = (p + z * z / (2 * trials)) / denominator
    half = z * math.sqrt(p * (1 - p) / trials + z * z / (4 * trials * trials)) / denominator
    return max(0.0, centre - half), min(1.0, centre + half)


def newcombe(successes_a, trials_a, successes_b, trials_b, confidence=CONFIDENCE):
    """Newcombe's hybrid score interval (method 10) for p_a - p_b."""
    p_a = successes_a / trials_a
    p_b = successes_b / trials_b
    low_a, high_a = wilson(successes_a, trials_a, confidence)
    low_b, high_b = wilson(successes_b, trials_b, confidence)
    difference = p_a - p_b
    low = difference - math.sqrt((p_a - low_a) ** 2 + (high_b - p_b) ** 2)
    high = difference + math.sqrt((high_a - p_a) ** 2 + (p_b - low_b) ** 2)
    return difference, low, high


def welch(a, b, confidence=CONFIDENCE):
    """Welch two-sample interval for mean(a) - mean(b)."""
    a = np.asarray(a, dtype=float)
    b = np.asarray(b, dtype=float)
    var_a = a.var(ddof=1) / a.size
    var_b = b.var(ddof=1) / b.size
    df = (var_a + var_b) ** 2 / (var_a**2 / (a.size - 1) + var_b**2 / (b.size - 1))
    se = math.sqrt(var_a + var_b)
    difference = a.mean() - b.mean()
    half = stats.t.ppf(upper_tail(confidence), df) * se
    # SciPy's own Welch test must give the same t statistic. It warns about precision when one
    # sample is constant, which is one of the cases on purpose.
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        t_statistic = stats.ttest_ind(a, b, equal_var=False).statistic
    assert math.isclose(t_statistic, difference / se, rel_tol=1e-12), (t_statistic, difference / se)
    return {
        "difference": difference,
        "standardError": se,
        "degreesOfFreedom": df,
        "low": difference - half,
        "high": difference + half,
    }


def check_wilson_against_scipy(successes, trials):
    ours = wilson(successes, trials)
    theirs = stats.binomtest(successes, trials).proportion_ci(CONFIDENCE, method="wilson")
    assert math.isclose(ours[0], theirs.low, abs_tol=1e-12), (successes, trials, ours, theirs)
    assert math.isclose(ours[1], theirs.high, abs_tol=1e-12), (successes, trials, ours, theirs)


def check_newcombe_against_paper():
    # Method 10 limits for the paper's worked examples, to 4 decimal places.
    # NOTE: quoted without the printed table at hand; the SciPy Wilson check and the
    # independently computed acceptance figures are the stronger evidence.
    printed = [
        ((56, 70, 48, 80), (0.0524, 0.3339)),
        ((9, 10, 3, 10), (0.1705, 0.8090)),
        ((5, 56, 0, 29), (-0.0381, 0.1926)),
        ((0, 10, 0, 20), (-0.1611, 0.2775)),
        ((10, 10, 0, 20), (0.6791, 1.0000)),
    ]
    for counts, (low, high) in printed:
        _, ours_low, ours_high = newcombe(*counts)
        assert round(ours_low, 4) == low, (counts, ours_low)
        assert round(ours_high, 4) == high, (counts, ours_high)


def sample_cases():
    rng = np.random.default_rng(20250116)
    return {
        "four": [1.0, 2.0, 3.0, 4.0],
        "one": [2.5],
        "empty": [],
        "constant": [5.0, 5.0, 5.0],
        "large_close": [1e9 + 1, 1e9 + 2, 1e9 + 3, 1e9 + 4],
        "negative": [-3.5, -1.25, 0.0, 2.75, 10.5],
        "scores_a": [float(x) for x in rng.normal(100, 7, 17).round()],
        "scores_b": [float(x) for x in rng.normal(104, 6, 39).round()],
        "small_a": [98.0, 103.0],
        "small_b": [110.0, 95.0, 101.0],
        "skewed": [float(x) for x in rng.exponential(3.0, 25).round(3)],
    }


def descriptive(samples):
    rows = []
    for name, values in samples.items():
        array = np.asarray(values, dtype=float)
        rows.append(
            {
                "name": name,
                "values": values,
                "mean": float(array.mean()) if array.size else None,
                "variance": float(array.var(ddof=1)) if array.size >= 2 else None,
            }
        )
    return rows


def welch_cases(samples):
    pairs = [
        ("scores_a", "scores_b"),
        ("scores_b", "scores_a"),
        ("small_a", "small_b"),
        ("four", "negative"),
        ("constant", "four"),
        ("skewed", "scores_a"),
    ]
    rows = []
    for first, second in pairs:
        row = {"a": first, "b": second}
        row.update(welch(samples[first], samples[second]))
        rows.append(row)
    # A 90% interval, to check that the confidence level is honoured.
    row = {"a": "scores_a", "b": "scores_b", "confidence": 0.9}
    row.update(welch(samples["scores_a"], samples["scores_b"], 0.9))
    rows.append(row)
    return rows


def wilson_cases():
    counts = [(0, 10), (10, 10), (3, 10), (1, 1), (0, 1), (50, 100), (7, 1000), (9, 18), (599, 600)]
    rows = []
    for successes, trials in counts:
        check_wilson_against_scipy(successes, trials)
        low, high = wilson(successes, trials)
        rows.append({"successes": successes, "trials": trials, "low": low, "high": high})
    low, high = wilson(3, 10, 0.99)
    rows.append({"successes": 3, "trials": 10, "confidence": 0.99, "low": low, "high": high})
    return rows


def newcombe_cases():
    counts = [
        (56, 70, 48, 80),
        (9, 10, 3, 10),
        (6, 7, 2, 7),
        (5, 56, 0, 29),
        (0, 10, 0, 20),
        (0, 10, 0, 10),
        (10, 10, 0, 20),
        (10, 10, 20, 20),
        (9, 18, 10, 42),
        (6, 15, 13, 45),
        (1, 250, 3, 1750),
    ]
    rows = []
    for successes_a, trials_a, successes_b, trials_b in counts:
        difference, low, high = newcombe(successes_a, trials_a, successes_b, trials_b)
        rows.append(
            {
                "successesA": successes_a,
                "trialsA": trials_a,
                "successesB": successes_b,
                "trialsB": trials_b,
                "difference": difference,
                "low": low,
                "high": high,
            }
        )
    return rows


def quantile_cases():
    rows = []
    for df in [1, 2, 5, 9.5, 12.345, 30, 54.7, 1000]:
        rows.append({"distribution": "t", "p": 0.975, "df": df, "quantile": float(stats.t.ppf(0.975, df))})
    rows.append({"distribution": "normal", "p": 0.975, "df": None, "quantile": float(stats.norm.ppf(0.975))})
    return rows


def pooled_cases():
    cases = [
        ([17, 33, 0], [304, 320, 300]),
        ([0, 0], [10, 20]),
        ([5], [0]),
        ([], []),
    ]
    rows = []
    for numerators, denominators in cases:
        total = sum(denominators)
        rows.append(
            {
                "numerators": numerators,
                "denominators": denominators,
                "rate": (sum(numerators) / total) if total else None,
            }
        )
    return rows


def main():
    check_newcombe_against_paper()
    samples = sample_cases()
    reference = {
        "generatedBy": "scripts/reference/statistics_reference.py",
        "scipyVersion": __import__("scipy").__version__,
        "numpyVersion": np.__version__,
        "samples": samples,
        "descriptive": descriptive(samples),
        "welch": welch_cases(samples),
        "wilson": wilson_cases(),
        "newcombe": newcombe_cases(),
        "quantiles": quantile_cases(),
        "pooled": pooled_cases(),
    }
    OUTPUT.parent.mkdir(parents=True, exist_ok=True)
    OUTPUT.write_text(json.dumps(reference, indent=1) + "\n", encoding="utf-8")
    print(f"wrote {OUTPUT}", file=sys.stderr)


if __name__ == "__main__":
    main()
