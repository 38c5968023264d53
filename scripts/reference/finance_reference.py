#!/usr/bin/python3
"""Compute reference values for the money arithmetic in src/cycle/finance/.

Run from the repository root with Python 3.11 or later (only the standard
library is needed), then format the output for the repository's Prettier check:

    /usr/bin/python3 scripts/reference/finance_reference.py
    npx prettier --write src/cycle/finance/reference/finance-reference.json

It writes src/cycle/finance/reference/finance-reference.json, which
finance-reference.test.ts reads. Every figure is computed here with exact
fractions (fractions.Fraction) and decimal rounding (decimal.ROUND_HALF_UP),
from the definitions rather than from the TypeScript code:

- rounding: a quotient rounded to the nearest whole penny, halves up;
- schedules: a total split over n instalments, each the even share rounded
  down, with the pennies left over on the last instalment;
- shares: largest remainder. Each partner gets its exact share rounded down.
  The pennies left over go one each to the largest fractional parts, and equal
  fractional parts go to the partner listed first;
- scenarios: unit cost x hoped outcomes x percent / 100, rounded to the penny;
- ratios: cost avoided / total cost, rounded to 2 decimal places, halves up;
- settlements: payment by results with the up-front share counting towards the
  cap and the cap reducing the last payable lines first.

Cases come from a fixed seed, plus hand-picked halves and ties.
"""

import json
import pathlib
import random
from decimal import ROUND_HALF_UP, Decimal, localcontext
from fractions import Fraction

OUTPUT = pathlib.Path("src/cycle/finance/reference/finance-reference.json")
SEED = 20260517


def round_half_up(value):
    """Round a Fraction to the nearest integer, halves up.

    Decimal does the rounding with 60 significant digits, far more than these
    magnitudes need, and the result is checked against exact Fraction arithmetic.
    """
    with localcontext() as context:
        context.prec = 60
        quotient = Decimal(value.numerator) / Decimal(value.denominator)
        rounded = int(quotient.quantize(Decimal(1), rounding=ROUND_HALF_UP))
    floor = value.numerator // value.denominator
    exact = floor + 1 if value - floor >= Fraction(1, 2) else floor
    assert rounded == exact, (value, rounded, exact)
    return rounded


def rounding_cases(rng):
    fixed = [(5, 2), (1, 2), (15, 10), (25, 10), (842000, 30), (842000, 13),
             (0, 7), (1, 3), (2, 3), (999999999, 1000), (1000000000, 3)]
    random_cases = [(rng.randint(0, 10**9), rng.randint(1, 5000)) for _ in range(40)]
    return [
        {"numerator": n, "denominator": d, "rounded": round_half_up(Fraction(n, d))}
        for n, d in fixed + random_cases
    ]


def schedule(total, count):
    even = total // count
    return [even] * (count - 1) + [total - even * (count - 1)]


def schedule_cases(rng):
    fixed = [(250000, 3), (100, 3), (1, 2), (0, 4), (1000000000, 7), (99999, 12)]
    random_cases = [(rng.randint(0, 10**8), rng.randint(1, 24)) for _ in range(30)]
    return [{"total": t, "count": c, "instalments": schedule(t, c)} for t, c in fixed + random_cases]


def largest_remainder(total, weights):
    weight_total = sum(weights)
    exact = [Fraction(total * w, weight_total) for w in weights]
    floors = [e.numerator // e.denominator for e in exact]
    left_over = total - sum(floors)
    order = sorted(range(len(weights)), key=lambda i: (-(exact[i] - floors[i]), i))
    for i in order[:left_over]:
        floors[i] += 1
    return floors


def share_cases(rng):
    fixed = [
        (100, [1, 1, 1]),
        (200, [1, 1, 1]),
        (1000000, [120, 340, 95]),
        (10000, [3333, 3333, 3334]),
        (1, [5, 5]),
        (7, [0, 3, 4]),
        (999999999, [1, 2, 3, 4, 5, 6, 7]),
    ]
    random_cases = [
        (rng.randint(0, 10**8), [rng.randint(0, 2000) for _ in range(rng.randint(1, 8))])
        for _ in range(30)
    ]
    cases = []
    for total, weights in fixed + random_cases:
        if sum(weights) == 0:
            weights = weights + [1]
        cases.append({"total": total, "weights": weights, "shares": largest_remainder(total, weights)})
    return cases


def scenario_cases(rng):
    fixed = [(120000, 12, 75), (120000, 3, 25), (400000, 1, 75), (2000000, 7, 25),
             (333, 1, 50), (1, 1, 50), (1, 3, 25), (1000000000, 100000, 100)]
    random_cases = [(rng.randint(1, 3000000), rng.randint(0, 500), rng.choice([100, 75, 50, 25]))
                    for _ in range(30)]
    return [
        {"unitPence": u, "hopedUnits": h, "percent": p,
         "pence": round_half_up(Fraction(u * h * p, 100))}
        for u, h, p in fixed + random_cases
    ]


def ratio_cases(rng):
    fixed = [(1440000, 842000), (1080000, 842000), (720000, 842000), (360000, 842000),
             (1, 200), (1, 400), (0, 5), (5, 1)]
    random_cases = [(rng.randint(0, 10**8), rng.randint(1, 10**7)) for _ in range(30)]
    cases = []
    for avoided, cost in fixed + random_cases:
        hundredths = round_half_up(Fraction(avoided * 100, cost))
        cases.append({"avoided": avoided, "cost": cost,
                      "ratio": str(Decimal(hundredths) / Decimal(100))})
    return cases


def settle(upfront, cap, prices, lines):
    """Owed per line: payable lines in order, up to cap - upfront in all."""
    room = None if cap is None else max(0, cap - upfront)
    seen = set()
    owed = []
    paid = 0
    for tariff, unit, status, disputed, evidence in lines:
        payable = (status == "evidenced" and not disputed and evidence != ""
                   and (tariff, unit.upper()) not in seen)
        if not payable:
            owed.append(0)
            continue
        seen.add((tariff, unit.upper()))
        price = prices[tariff]
        pay = price if room is None else min(price, room - paid)
        paid += pay
        owed.append(pay)
    return owed


def settlement_cases(rng):
    cases = []
    for _ in range(25):
        tariff_count = rng.randint(1, 3)
        prices = {f"t{i}": rng.randint(1, 200000) for i in range(tariff_count)}
        upfront = rng.randint(0, 500000)
        cap = None if rng.random() < 0.2 else upfront + rng.randint(0, 1500000)
        lines = []
        for _ in range(rng.randint(0, 25)):
            lines.append((
                rng.choice(sorted(prices)),
                f"P-{rng.randint(1, 15):02d}",
                rng.choice(["evidenced", "evidenced", "evidenced", "partly_evidenced", "not_evidenced"]),
                rng.random() < 0.15,
                "" if rng.random() < 0.1 else "ref",
            ))
        owed = settle(upfront, cap, prices, lines)
        cases.append({
            "upfront": upfront,
            "cap": cap,
            "prices": prices,
            "lines": [
                {"tariff": t, "unit": u, "status": s, "disputed": d, "evidence": e}
                for t, u, s, d, e in lines
            ],
            "owed": owed,
            "outcomePayments": sum(owed),
            "total": upfront + sum(owed),
        })
    return cases


def main():
    rng = random.Random(SEED)
    reference = {
        "generatedBy": "scripts/reference/finance_reference.py",
        "rounding": rounding_cases(rng),
        "schedules": schedule_cases(rng),
        "shares": share_cases(rng),
        "scenarios": scenario_cases(rng),
        "ratios": ratio_cases(rng),
        "settlements": settlement_cases(rng),
    }
    OUTPUT.parent.mkdir(parents=True, exist_ok=True)
    OUTPUT.write_text(json.dumps(reference, indent=2) + "\n", encoding="utf-8")
    print(f"Wrote {OUTPUT}")


if __name__ == "__main__":
    main()
