#!/usr/bin/python3
"""Build a synthetic school and its expected gap analysis, for gap-analysis.test.ts.

Run from the repository root with Debian's Python, which has SciPy 1.10, then
format the output for the repository's Prettier check:

    /usr/bin/python3 scripts/reference/gap_reference.py
    npx prettier --write src/cycle/understand/reference/gap-reference.json

It writes src/cycle/understand/reference/gap-reference.json: the pupils, in the
shape of the TypeScript AnalysisPupil, and the figures expected for each group,
computed here from the definitions rather than from the TypeScript code:

- census day: third Thursday of January 2025 (2025-01-16); Ever-6 FSM is any
  FSM period overlapping 2019-01-17 to 2025-01-16, ends included;
- disadvantaged: Ever-6 FSM, looked after or previously looked after;
- sessions: a pupil's year row, or the sum of the term rows when there is none;
  missed = authorised + unauthorised;
- overall absence and attendance rates pooled over pupils with possible > 0;
- persistent absence: missed >= 10% of possible; severe: missed >= 50%;
- suspension and permanent exclusion: share of all pupils, this year only;
- assessment means: each pupil's latest numeric result, Welch interval;
- a group or measure with 1 to 4 pupils on either side is suppressed;
- a group or measure with no pupils on a side has no gap, but the side with
  data keeps its figure.

All pupils are fictitious, generated from a fixed seed.
"""

import datetime
import json
import pathlib
import sys

import numpy as np

sys.path.insert(0, str(pathlib.Path(__file__).parent))
from statistics_reference import newcombe, welch  # noqa: E402

OUTPUT = pathlib.Path("src/cycle/understand/reference/gap-reference.json")
ACADEMIC_YEAR = 2024
CENSUS = "2025-01-16"
WINDOW_START = "2019-01-17"
MINIMUM = 5
READING = "KS2/ENG/RD/TT/SS"
MATHS = "KS2/MAT/MAT/TT/SS"

ETHNICITY_CODES = [
    ("WBRI", "white"),
    ("WIRI", "white"),
    ("WPOR", "white"),
    ("MWBC", "mixed"),
    ("MWAS", "mixed"),
    ("AIND", "asian"),
    ("APKN", "asian"),
    ("CHNE", "asian"),
    ("BAFR", "black"),
    ("BCRB", "black"),
    ("OOTH", "other"),
    ("OARA", "other"),
    ("REFU", "unclassified"),
    ("NOBT", "unclassified"),
    (None, "unclassified"),
]


def fsm_history(rng, index):
    """FSM periods chosen to land on both sides of the Ever-6 window and the census day."""
    choice = index % 9
    if choice == 0:
        return [{"start": "2022-09-01", "end": None}]
    if choice == 1:
        return [{"start": "2016-09-01", "end": "2019-01-16"}]  # ends the day before the window
    if choice == 2:
        return [{"start": "2016-09-01", "end": "2019-01-17"}]  # ends on the window's first day
    if choice == 3:
        return [{"start": "2020-01-10", "end": "2025-01-15"}]  # ended the day before census
    if choice == 4:
        return [{"start": "2025-01-16", "end": None}]  # starts on census day
    if choice == 5 and rng.random() < 0.5:
        return [{"start": "2025-02-01", "end": None}]  # starts after census day
    return []


def reported_flags(index):
    if index % 13 == 7:
        return {"fsmNow": True, "ever6Fsm": True, "pupilPremium": True}
    if index % 13 == 8:
        return {"fsmNow": False, "ever6Fsm": True, "pupilPremium": None}
    return {"fsmNow": None, "ever6Fsm": None, "pupilPremium": None}


def attendance_rows(rng, index):
    possible = int(rng.integers(250, 331))
    rate = float(rng.beta(1.2, 12))
    if index % 17 == 0:
        rate = float(rng.uniform(0.5, 0.8))  # some severe absence
    missed = int(round(possible * rate))
    if index % 23 == 0:
        missed = possible // 10  # exactly on the persistent absence line
    authorised = int(round(missed * 0.6))
    year = {
        "academicYear": ACADEMIC_YEAR,
        "period": "year",
        "schoolLaestab": "8019999",
        "possible": possible,
        "attended": possible - missed,
        "authorised": authorised,
        "unauthorised": missed - authorised,
    }
    last_year = dict(year, academicYear=ACADEMIC_YEAR - 1, possible=300, attended=150, authorised=150, unauthorised=0)
    if index % 29 == 0:
        return [], None  # no attendance data at all
    if index % 31 == 0:
        zero = dict(year, possible=0, attended=0, authorised=0, unauthorised=0)
        return [zero], None  # attendance not required: no possible sessions
    if index % 4 == 0:
        return [year, last_year], year
    terms = split_into_terms(year)
    if index % 4 == 1:
        return terms + [last_year], year  # terms only: summed
    return [year] + terms, year  # year row and its terms: the year row wins


def split_into_terms(year):
    rows = []
    shares = [0.35, 0.35, 0.30]
    remaining = {key: year[key] for key in ("possible", "attended", "authorised", "unauthorised")}
    for position, (period, share) in enumerate(zip(["autumn", "spring", "summer"], shares)):
        row = dict(year, period=period)
        for key in remaining:
            if position == 2:
                row[key] = remaining[key]
            else:
                row[key] = int(year[key] * share)
        for key in remaining:
            remaining[key] -= row[key]
        rows.append(row)
    return rows


def exclusions(rng, index):
    rows = []
    if index % 6 == 0:
        for _ in range(int(rng.integers(1, 3))):
            rows.append(exclusion(ACADEMIC_YEAR, "suspension", "2024-11-12"))
    if index % 25 == 3:
        rows.append(exclusion(ACADEMIC_YEAR, "permanent", "2025-03-03"))
    if index % 7 == 2:
        rows.append(exclusion(ACADEMIC_YEAR - 1, "suspension", "2024-02-01"))  # last year: ignored
    return rows


def exclusion(year, kind, start):
    return {"academicYear": year, "kind": kind, "startDate": start, "sessionsLost": 2, "reason": None}


def results(rng, index):
    rows = []
    if index % 11 == 0:
        return rows
    if index % 7 == 5 and index % 35 != 5:
        return rows  # few reception pupils have results, so their score measures are suppressed
    reading = int(rng.normal(103, 6))
    maths = int(rng.normal(104, 7))
    rows.append(result("ENG", "RD", str(reading), 2019))
    rows.append(result("MAT", "MAT", str(maths), 2019))
    if index % 5 == 0:
        rows.append(result("MAT", "MAT", str(maths - 9), 2018))  # older attempt: ignored
    if index % 10 == 3:
        rows[0]["result"] = "A"  # absent: not numeric, so no reading score
    return rows


def result(subject, component, value, year):
    return {
        "stage": "KS2",
        "subject": subject,
        "component": component,
        "method": "TT",
        "qualifier": "SS",
        "result": value,
        "resultDate": f"{year}-07-05",
        "year": year,
    }


def sen_provision(index):
    if index % 8 == 1:
        return "K"
    if index % 30 == 4:
        return "E"
    return "N"


def make_pupils():
    rng = np.random.default_rng(801_9999)
    pupils = []
    for index in range(120):
        code, _ = ETHNICITY_CODES[index % len(ETHNICITY_CODES)]
        attendance, _ = attendance_rows(rng, index)
        language = ["ENG", "ENG", "POL", "ENB", "NOT", None][index % 6]
        pupils.append(
            {
                "pupilId": 1000 + index,
                "sex": "F" if index % 2 == 0 else "M",
                "ncYear": ["7", "8", "9", "10", "11", "R", "X"][index % 7],
                "ethnicity": code,
                "firstLanguage": language,
                "eal": True if language is None and index % 12 == 5 else None,
                "senProvision": sen_provision(index),
                "inCare": index % 40 == 9,
                "previouslyLookedAfter": index % 50 == 11,
                "serviceChild": index % 19 == 0,
                "fsmPeriods": fsm_history(rng, index),
                "reported": reported_flags(index),
                "attendance": attendance,
                "exclusions": exclusions(rng, index),
                "results": results(rng, index),
            }
        )
    return pupils


def overlaps(period, start, end):
    return period["start"] <= end and (period["end"] is None or period["end"] >= start)


def ever6(pupil):
    if not pupil["fsmPeriods"]:
        return pupil["reported"]["ever6Fsm"] is True or pupil["reported"]["fsmNow"] is True
    return any(overlaps(period, WINDOW_START, CENSUS) for period in pupil["fsmPeriods"])


def fsm_now(pupil):
    if not pupil["fsmPeriods"]:
        return pupil["reported"]["fsmNow"] is True
    return any(overlaps(period, CENSUS, CENSUS) for period in pupil["fsmPeriods"])


def eal(pupil):
    code = pupil["firstLanguage"]
    if code is not None and code not in ("NOT", "REF"):
        return code not in ("ENG", "ENB")
    return pupil["eal"] is True


def major_group(pupil):
    return dict(ETHNICITY_CODES)[pupil["ethnicity"]] if pupil["ethnicity"] in dict(ETHNICITY_CODES) else "unclassified"


def year_key(pupil):
    value = pupil["ncYear"]
    if value == "R":
        return "reception"
    if value.isdigit():
        return f"year_{value}"
    return None


def groups(pupils):
    definitions = {
        "disadvantaged": lambda p: ever6(p) or p["inCare"] or p["previouslyLookedAfter"],
        "fsm_now": fsm_now,
        "sen_support": lambda p: p["senProvision"] == "K",
        "ehc_plan": lambda p: p["senProvision"] == "E",
        "eal": eal,
        "female": lambda p: p["sex"] == "F",
        "male": lambda p: p["sex"] == "M",
        "in_care": lambda p: p["inCare"],
    }
    for group in ["white", "mixed", "asian", "black", "other", "unclassified"]:
        if any(major_group(p) == group for p in pupils):
            definitions[f"ethnicity_{group}"] = lambda p, g=group: major_group(p) == g
    for key in ["reception"] + [f"year_{n}" for n in range(1, 15)]:
        if any(year_key(p) == key for p in pupils):
            definitions[key] = lambda p, k=key: year_key(p) == k
    return definitions


def sessions(pupil):
    rows = [row for row in pupil["attendance"] if row["academicYear"] == ACADEMIC_YEAR]
    if not rows:
        return None
    year_rows = [row for row in rows if row["period"] == "year"]
    chosen = year_rows or rows
    return {
        "possible": sum(row["possible"] for row in chosen),
        "attended": sum(row["attended"] for row in chosen),
        "missed": sum(row["authorised"] + row["unauthorised"] for row in chosen),
    }


def latest_score(pupil, key):
    candidates = [
        r
        for r in pupil["results"]
        if "/".join([r["stage"], r["subject"], r["component"], r["method"], r["qualifier"]]) == key
        and r["result"].lstrip("+-").replace(".", "", 1).isdigit()
    ]
    if not candidates:
        return None
    candidates.sort(key=lambda r: (r["year"], r["resultDate"]))
    return float(candidates[-1]["result"])


def too_few(n, n_rest):
    return 0 < n < MINIMUM or 0 < n_rest < MINIMUM


def blank(measure, n, n_rest):
    return {
        "measure": measure,
        "n": n,
        "nRest": n_rest,
        "suppressed": too_few(n, n_rest),
        "value": None,
        "valueRest": None,
        "gap": None,
        "ciLow": None,
        "ciHigh": None,
        "count": None,
        "countRest": None,
    }


def pooled(measure, group, rest, numerator):
    def with_data(side):
        return [s for s in (sessions(p) for p in side) if s is not None and s["possible"] > 0]

    def rate(sessions):
        if not sessions:
            return None
        return sum(numerator(s) for s in sessions) / sum(s["possible"] for s in sessions)

    a, b = with_data(group), with_data(rest)
    row = blank(measure, len(a), len(b))
    if not row["suppressed"]:
        row.update(value=rate(a), valueRest=rate(b))
        if a and b:
            row.update(gap=row["value"] - row["valueRest"])
    return row


def proportion(measure, group, rest, has_data, condition):
    a = [p for p in group if has_data(p)]
    b = [p for p in rest if has_data(p)]
    row = blank(measure, len(a), len(b))
    count = sum(1 for p in a if condition(p))
    count_rest = sum(1 for p in b if condition(p))
    if not row["suppressed"] and not (a and b):
        row.update(
            value=count / len(a) if a else None,
            valueRest=count_rest / len(b) if b else None,
            count=count if a else None,
            countRest=count_rest if b else None,
        )
    elif not row["suppressed"]:
        difference, low, high = newcombe(count, len(a), count_rest, len(b))
        row.update(
            value=count / len(a),
            valueRest=count_rest / len(b),
            gap=difference,
            ciLow=low,
            ciHigh=high,
            count=count,
            countRest=count_rest,
        )
    return row


def mean_measure(key, group, rest):
    a = [s for s in (latest_score(p, key) for p in group) if s is not None]
    b = [s for s in (latest_score(p, key) for p in rest) if s is not None]
    row = blank(f"assessment:{key}", len(a), len(b))
    if not row["suppressed"] and not (a and b):
        row.update(
            value=float(np.mean(a)) if a else None,
            valueRest=float(np.mean(b)) if b else None,
        )
    elif not row["suppressed"]:
        interval = welch(a, b)
        row.update(
            value=float(np.mean(a)),
            valueRest=float(np.mean(b)),
            gap=interval["difference"],
            ciLow=interval["low"],
            ciHigh=interval["high"],
        )
    return row


def has_sessions(pupil):
    s = sessions(pupil)
    return s is not None and s["possible"] > 0


def missed_at_least(share):
    def condition(pupil):
        s = sessions(pupil)
        return s["missed"] >= share * s["possible"] - 1e-9

    return condition


def excluded(kind):
    def condition(pupil):
        return any(e["academicYear"] == ACADEMIC_YEAR and e["kind"] == kind for e in pupil["exclusions"])

    return condition


def measures(group, rest):
    return [
        pooled("attendance_rate", group, rest, lambda s: s["attended"]),
        pooled("overall_absence_rate", group, rest, lambda s: s["missed"]),
        proportion("persistent_absence", group, rest, has_sessions, missed_at_least(0.1)),
        proportion("severe_absence", group, rest, has_sessions, missed_at_least(0.5)),
        proportion("suspension", group, rest, lambda p: True, excluded("suspension")),
        proportion("permanent_exclusion", group, rest, lambda p: True, excluded("permanent")),
        mean_measure(READING, group, rest),
        mean_measure(MATHS, group, rest),
    ]


def expected_analysis(pupils):
    rows = []
    for key, includes in groups(pupils).items():
        group = [p for p in pupils if includes(p)]
        rest = [p for p in pupils if not includes(p)]
        suppressed = too_few(len(group), len(rest))
        rows.append(
            {
                "group": key,
                "n": len(group),
                "nRest": len(rest),
                "suppressed": suppressed,
                "measures": [] if suppressed else measures(group, rest),
            }
        )
    return rows


def check_census_day():
    day = datetime.date(ACADEMIC_YEAR + 1, 1, 1)
    thursdays = [day + datetime.timedelta(days=n) for n in range(31) if (day + datetime.timedelta(days=n)).weekday() == 3]
    assert thursdays[2].isoformat() == CENSUS, thursdays


def main():
    check_census_day()
    pupils = make_pupils()
    reference = {
        "generatedBy": "scripts/reference/gap_reference.py",
        "scipyVersion": __import__("scipy").__version__,
        "academicYear": ACADEMIC_YEAR,
        "censusDate": CENSUS,
        "ever6WindowStart": WINDOW_START,
        "pupils": pupils,
        "groups": expected_analysis(pupils),
    }
    OUTPUT.parent.mkdir(parents=True, exist_ok=True)
    OUTPUT.write_text(json.dumps(reference, indent=1) + "\n", encoding="utf-8")
    print(f"wrote {OUTPUT}", file=sys.stderr)


if __name__ == "__main__":
    main()
