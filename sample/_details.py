"""Delivery partners, project costs, innovations, measures, evaluations, forecasts."""

from __future__ import annotations

import random
from collections import defaultdict
from datetime import date
from decimal import Decimal

from ._capital import wind_down_end
from ._catalogue import PROJECTS, ProjectSpec
from ._common import CUTOFF, Row, allocate, fraction, pounds, quarter_ends, to_pence

PARTNER_COUNT = 95
PREFIXES = (
    "Amber", "Beacon", "Birchwood", "Bright Futures", "Calder", "Compass", "Crescent",
    "Daybreak", "Elmfield", "Foundry", "Gateway", "Harbourside", "Haven", "Horizon",
    "Keystone", "Lantern", "Lighthouse", "Meadowbank", "Milestone", "Oakfield", "Pathway",
    "Phoenix", "Pioneer", "Riverside", "Signpost", "Springboard", "Stepping Stones", "Summit",
    "Threshold", "Waymark", "Northway", "Kingfisher", "Larkspur", "Open Door", "Fresh Start",
    "Greenleaf", "Hillcrest", "Ironbridge", "Juniper", "Willow",
)  # fmt: skip
SERVICES = {
    "youth homelessness": ("Foyer", "Youth Housing", "Young People's Trust", "Supported Lodgings"),
    "care leavers": ("Leaving Care Service", "Youth Mentoring", "Care Leavers' Network"),
    "single homeless prevention": ("Housing Advice", "Tenancy Support", "Homes Trust"),
    "rough sleeping": ("Outreach", "Recovery Service", "Housing First"),
    "social prescribing": ("Community Link", "Wellbeing Service", "Community Action"),
    "diabetes prevention": ("Health Coaching", "Active Lives", "Healthy Living Centre"),
    "family therapy": ("Family Therapy", "Family Partnership", "Therapy Service"),
    "fostering and adoption": ("Fostering", "Adoption Support", "Family Placement"),
    "school-based support": ("Learning Support", "Youth Work", "School Counselling"),
}

FT_LONDON = "FT-LONDON"
FT_LONDON_DELIVERY = 4_500_000 * 100

# innovation_id, project, name, objective, stage, theme, estimated, start, status, actual
# fmt: off
INNOVATIONS = (
    ("FTL-I01", FT_LONDON, "Integrating 3 delivery organisations",
     "One referral route and one clinical model across the three providers", "design",
     "integration", 150_000, date(2016, 10, 1), "adopted", 150_000),
    ("FTL-I02", FT_LONDON, "Referral processes",
     "Faster, better-targeted referrals from children's social care", "design", "referrals",
     100_000, date(2016, 10, 1), "adopted", 110_000),
    ("FTL-I03", FT_LONDON, "Retention bonuses", "Keep trained therapists for the three years",
     "design", "workforce", 130_000, date(2016, 10, 1), "adopted", 160_000),
    ("FTL-I04", FT_LONDON, "Links with schools and mental-health services",
     "Joint working with schools and child and adolescent mental health services", "design",
     "integration", 100_000, date(2016, 10, 1), "adopted", 90_000),
    ("FTL-I05", FT_LONDON, "Enhanced clinical supervision",
     "Weekly supervision to keep therapy faithful to the model", "design", "quality",
     100_000, date(2016, 10, 1), "adopted", 100_000),
    ("FTL-I06", FT_LONDON, "Data-enhanced decisions",
     "Case data reviewed monthly to target therapist time", "design", "data", 200_000,
     date(2016, 10, 1), "adopted", 170_000),
    ("FTL-I07", FT_LONDON, "Better terms for therapists",
     "Pay and conditions that cut therapist turnover", "pilot", "workforce", 200_000,
     date(2017, 7, 3), "adopted", 200_000),
    ("FTL-I08", FT_LONDON, "Booster sessions",
     "Follow-up sessions for families at risk of relapse", "pilot", "engagement", 100_000,
     date(2017, 10, 2), "stopped", 60_000),
    ("FTL-I09", FT_LONDON, "Expansion to 5 new boroughs",
     "Take the service from 5 to 10 London boroughs", "pilot", "capacity", 150_000,
     date(2018, 1, 8), "adopted", 170_000),
    ("FTL-I10", FT_LONDON, "Moving online", "Remote sessions where families prefer them",
     "pilot", "digital", 50_000, date(2018, 7, 2), "adopted", 70_000),
    ("FTL-I11", FT_LONDON, "Extra supervisor", "A fourth clinical supervisor for the new teams",
     "pilot", "quality", 200_000, date(2018, 4, 2), "adopted", 200_000),
    ("FTL-I12", FT_LONDON, "Expedited training",
     "Train new therapists in weeks rather than months", "pilot", "workforce", 20_000,
     date(2018, 4, 2), "adopted", 20_000),
    ("FTL-I13", FT_LONDON, "Extra therapists", "Therapists for the five expansion boroughs",
     "pilot", "capacity", 300_000, date(2018, 4, 2), "adopted", 300_000),
    ("SPN-I01", "SP-NEWCASTLE", "Digital referral platform",
     "GP practices refer to link workers online", "design", "data", 80_000,
     date(2015, 4, 1), "adopted", 95_000),
    ("FAK-I01", "FA-KENT", "Foster carer retention payments",
     "Keep experienced foster carers for step-down placements", "design", "workforce",
     120_000, date(2019, 4, 1), "running", 105_000),
    ("FTH-I01", "FT-HERTS", "Video therapy sessions", "Sessions by video for rural families",
     "pilot", "digital", 60_000, date(2021, 1, 4), "running", 48_000),
    ("FTH-I02", "FT-HERTS", "Parent peer support",
     "Parents who completed therapy support new families", "pilot", "engagement", 40_000,
     date(2026, 4, 1), "planned", 0),
)

EVALUATIONS = (
    (FT_LONDON, date(2018, 6, 29), "Institute for Family Outcomes", "process",
     "Integration of the three providers and the referral route; early lessons on retention"),
    (FT_LONDON, date(2020, 9, 30), "Institute for Family Outcomes", "impact",
     "Fewer children entered care than in a matched comparison group"),
    (FT_LONDON, date(2021, 3, 31), "Outcomes Economics Ltd", "economic",
     "Cost per family of about £16k against the cost of care avoided"),
    ("YH-WYORK", date(2018, 12, 14), "Northern Policy Research", "impact",
     "Sustained accommodation and work outcomes above the forecast profile"),
    ("SB-ESSEX", date(2018, 3, 30), "Education Evaluation Partnership", "process",
     "Why referrals from schools fell short and the contract was terminated"),
    ("SP-NEWCASTLE", date(2020, 10, 30), "Centre for Community Health", "qca",
     "Which combinations of link-worker support preceded wellbeing gains"),
    ("DP-DEVON", date(2020, 5, 29), "Westcountry Health Research", "process",
     "Recruitment through GP practices was slower than planned"),
    ("FA-KENT", date(2023, 11, 30), "Children's Voices Research", "participant_voice",
     "Young people's accounts of moving from residential homes to foster families"),
)
# fmt: on

FORECASTS = {
    "SOF1": (
        ("co_investors", 8, None), ("contracts", 6, None), ("delivery_partners", 8, 12),
        ("fiscal_value", 40_000_000, None), ("outcome_payments", 20_000_000, None),
        ("outcomes_payers", 4, None),
    ),
    "SOF2": (
        ("co_investors", 12, None), ("contracts", 9, None), ("delivery_partners", 12, 18),
        ("fiscal_value", 60_000_000, None), ("outcome_payments", 30_000_000, None),
        ("outcomes_payers", 5, None),
    ),
}  # fmt: skip


def partner_rows(rng: random.Random) -> list[Row]:
    """Three or four partners per project (three for FT-LONDON), a few shared."""
    used: set[str] = set()
    by_project: dict[str, list[str]] = {}
    extra = PARTNER_COUNT - 3 * len(PROJECTS)
    others = [p.project_id for p in PROJECTS if p.project_id != FT_LONDON]
    fourth = set(rng.sample(others, extra))
    for project in PROJECTS:
        count = 4 if project.project_id in fourth else 3
        by_project[project.project_id] = [_new_partner(project, used, rng) for _ in range(count)]
    for project_id in sorted(rng.sample(others, 8)):
        area = next(p.policy_area for p in PROJECTS if p.project_id == project_id)
        pool = sorted(
            name
            for p in PROJECTS
            if p.policy_area == area and p.project_id != project_id
            for name in by_project[p.project_id]
        )
        if pool:
            by_project[project_id].append(rng.choice(pool))
    return [
        {"project_id": project_id, "organisation": name}
        for project_id, names in by_project.items()
        for name in names
    ]


def _new_partner(project: ProjectSpec, used: set[str], rng: random.Random) -> str:
    while True:
        name = f"{rng.choice(PREFIXES)} {rng.choice(SERVICES[project.policy_area])}"
        if name not in used:
            used.add(name)
            return name


def innovation_rows() -> list[Row]:
    return [
        {
            "innovation_id": i[0],
            "project_id": i[1],
            "name": i[2],
            "objective": i[3],
            "stage": i[4],
            "theme": i[5],
            "estimated_cost": pounds(i[6] * 100),
            "start_date": i[7].isoformat(),
            "status": i[8],
        }
        for i in INNOVATIONS
    ]


def _last_cost_day(project: ProjectSpec) -> date:
    return min(wind_down_end(project), CUTOFF)


def cost_rows(financing: dict[str, int], paid: dict[str, int]) -> list[Row]:
    """What each partnership spent: FT-LONDON exactly, the others roughly.

    Outside FT-LONDON the partnership keeps a 3% surplus of its outcome
    payments when it performed to plan, none when it fell short.
    """
    rows = []
    innovation_spend: dict[str, int] = defaultdict(int)
    for inn in INNOVATIONS:
        innovation_spend[inn[1]] += inn[9] * 100
        rows += _innovation_cost_rows(inn)
    for project in PROJECTS:
        quarters = quarter_ends(project.start, _last_cost_day(project))
        if project.project_id == FT_LONDON:
            rows += _spread(project.project_id, quarters, "delivery", FT_LONDON_DELIVERY)
            continue
        project_paid = paid.get(project.project_id, 0)
        surplus = project_paid * 3 // 100 if project.performance >= Decimal("0.95") else 0
        spend = project_paid - financing[project.project_id] - surplus
        spend -= innovation_spend[project.project_id]
        split = allocate(spend // 100 * 100, [("delivery", 85), ("management", 10), ("other", 5)])
        for category, amount in split.items():
            rows += _spread(project.project_id, quarters, category, amount)
    return rows


def _spread(project_id: str, quarters: list[date], category: str, total: int) -> list[Row]:
    weights = [(q, min(i + 1, 4)) for i, q in enumerate(quarters)]
    parts = allocate(total, weights)
    return [
        {
            "project_id": project_id,
            "date": q.isoformat(),
            "category": category,
            "amount": pounds(parts[q]),
            "innovation_id": "",
        }
        for q in quarters
        if parts[q] > 0
    ]


def _innovation_cost_rows(inn: tuple) -> list[Row]:
    project = next(p for p in PROJECTS if p.project_id == inn[1])
    quarters = quarter_ends(inn[7], _last_cost_day(project))
    if inn[9] == 0:
        return []
    rows = _spread(inn[1], quarters, "innovation", inn[9] * 100)
    for row in rows:
        row["innovation_id"] = inn[0]
    return rows


def measure_rows(first_metric_counts: dict[str, dict[date, int]], rng: random.Random) -> list[Row]:
    """Participants and referrals each quarter; FT-LONDON also its quality score."""
    rows = []
    for project in PROJECTS:
        counts = first_metric_counts[project.project_id]
        periods = sorted(counts)
        if project.project_id == FT_LONDON:
            weights = [(d, min(i + 1, 4)) for i, d in enumerate(periods)]
            participants = allocate(410, weights)
        else:
            participants = {d: max(1, counts[d] * 5 // 4) for d in periods}
        for i, period_end in enumerate(periods):
            people = participants[period_end]
            referrals = people * rng.randint(13, 18) // 10
            rows.append(_measure(project.project_id, period_end, "participants", people))
            rows.append(_measure(project.project_id, period_end, "referrals", referrals))
            if project.project_id == FT_LONDON:
                score = Decimal("3.5") + Decimal(i) / (len(periods) - 1)
                rows.append(
                    _measure(
                        project.project_id,
                        period_end,
                        "quality_score",
                        score.quantize(Decimal("0.1")),
                    )
                )
    return rows


def _measure(project_id: str, period_end: date, measure: str, value: int | Decimal) -> Row:
    return {"project_id": project_id, "period_end": period_end.isoformat(),
            "measure": measure, "value": fraction(Decimal(value))}  # fmt: skip


def evaluation_rows() -> list[Row]:
    return [
        {"project_id": e[0], "date": e[1].isoformat(), "evaluator": e[2], "kind": e[3],
         "summary": e[4], "link": ""}
        for e in EVALUATIONS
    ]  # fmt: skip


def forecast_rows() -> list[Row]:
    return [
        {"fund_id": fund_id, "measure": measure, "forecast": str(forecast),
         "forecast_high": "" if high is None else str(high)}
        for fund_id, rows in FORECASTS.items()
        for measure, forecast, high in rows
    ]  # fmt: skip


def financing_by_project(project_flows: list[Row], marks: list[Row]) -> dict[str, int]:
    """Realised + latest marks − invested over each project's holdings, in pence."""
    totals: dict[str, int] = defaultdict(int)
    signs = {"drawdown": -1, "repayment": 1, "interest": 1, "dividend": 1}
    for r in project_flows:
        totals[r["project_id"]] += signs.get(r["kind"], 0) * to_pence(r["amount"])
    latest: dict[tuple[str, str, str], Row] = {}
    for m in sorted(marks, key=lambda m: m["date"]):
        latest[(m["project_id"], m["holder_id"], m["tranche"])] = m
    for (project_id, _, _), m in latest.items():
        totals[project_id] += to_pence(m["fair_value"])
    return totals
