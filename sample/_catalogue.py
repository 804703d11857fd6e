"""The hand-written facts of the illustrative sample: funds, investors, projects.

Everything numeric that the published programme totals depend on is set here or
derived from here by the other ``_*.py`` modules; the names of places follow the
published programme, every organisation name is invented.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

MANAGER = "Illustrative Outcomes Managers LLP"

FUNDS = (
    ("SOF1", "Social Outcomes Fund I", "GBP", 2013, MANAGER),
    ("SOF2", "Social Outcomes Fund II", "GBP", 2016, MANAGER),
)

GOVERNMENT = "DCMS"

FUND_INVESTORS = (
    ("DCMS", "Department for Culture, Media and Sport", "government"),
    ("HSB", "Harbour Social Bank", "bank"),
    ("ELMF", "Elmstead Foundation", "foundation"),
    ("CWSI", "Commonweal Social Investment", "social_investor"),
    ("TIDE", "Tidewater Trust", "foundation"),
    ("MERF", "Meridian Foundation", "foundation"),
    ("NSCP", "Northern Social Capital", "social_investor"),
    ("RPTR", "Ridgeway Pension Trust", "other"),
)

# fund_id -> (share class, first close, ((investor_id, commitment in pounds), ...))
COMMITMENTS = {
    "SOF1": (
        "A",
        date(2013, 7, 1),
        (
            ("DCMS", 1_200_000),
            ("HSB", 2_500_000),
            ("ELMF", 2_000_000),
            ("CWSI", 2_300_000),
            ("TIDE", 2_000_000),
        ),
    ),
    "SOF2": (
        "A",
        date(2016, 3, 1),
        (
            ("DCMS", 1_800_000),
            ("HSB", 3_000_000),
            ("CWSI", 3_200_000),
            ("MERF", 2_500_000),
            ("NSCP", 2_500_000),
            ("RPTR", 2_000_000),
        ),
    ),
}

CO_INVESTORS = (
    ("ASHF", "Ashcombe Foundation", "foundation"),
    ("BRKS", "Brookside Social Investment", "social_investor"),
    ("CRSB", "Crossway Social Bank", "bank"),
    ("DALE", "Dalewood Trust", "foundation"),
    ("EVGR", "Evergreen Community Finance", "social_investor"),
    ("FERN", "Fernhill Foundation", "foundation"),
    ("GRNT", "Granite Impact Partners", "social_investor"),
    ("HLND", "Highland Charitable Trust", "foundation"),
    ("IVYC", "Ivy Cross Foundation", "foundation"),
    ("JUNC", "Junction Social Bank", "bank"),
    ("KELP", "Kelpie Impact Fund", "social_investor"),
    ("LARC", "Larch Philanthropies", "foundation"),
    ("MILL", "Millrace Community Bank", "bank"),
    ("NRTH", "Northstar Social Ventures", "social_investor"),
    ("OAKT", "Oakleaf Trust", "foundation"),
    ("PENN", "Pennine Social Finance", "social_investor"),
    ("QUAY", "Quayside Foundation", "foundation"),
    ("ROWN", "Rowan Church Investors", "other"),
    ("SAND", "Sandpiper Social Investment", "social_investor"),
    ("THRN", "Thornbury Foundation", "foundation"),
    ("UPLD", "Upland Cooperative Bank", "bank"),
    ("VALE", "Vale Housing Association", "other"),
)

# Outcome payers used on several contracts.
YHOF = ("Youth Homelessness Outcomes Fund", "central_government")
LCOF = ("Life Chances Outcomes Fund", "central_government")
HPOF = ("Homelessness Prevention Outcomes Fund", "central_government")
RSOP = ("Rough Sleeping Outcomes Programme", "central_government")
DFE = ("Department for Education Innovation Programme", "central_government")
LOTTERY = ("Better Outcomes Lottery Fund", "lottery")


def council(name: str) -> tuple[str, str]:
    """A local-government payer."""
    return (name, "local_government")


def nhs(name: str) -> tuple[str, str]:
    """An NHS payer."""
    return (name, "nhs")


def school(name: str) -> tuple[str, str]:
    """A school or academy trust paying for outcomes."""
    return (name, "school")


def charity(name: str) -> tuple[str, str]:
    """A philanthropic payer."""
    return (name, "philanthropy")


Payer = tuple[tuple[str, str], str]  # ((payer, payer_kind), share)


@dataclass(frozen=True)
class ContractSpec:
    """One outcome contract: its payers and its forecast value over its life."""

    suffix: str
    name: str
    value: int  # forecast outcome payments over the contract's life, pounds
    payers: tuple[Payer, ...]
    start: date | None = None  # defaults to the project's start
    end: date | None = None  # defaults to the project's end


@dataclass(frozen=True)
class ProjectSpec:
    """One outcomes partnership and how it turned out."""

    project_id: str
    name: str
    policy_area: str
    region: str
    coordinator: str
    start: date
    end: date  # planned end (contract end); for a write-off the termination date
    status: str
    funds: tuple[tuple[str, int], ...]  # fund_id, percent of the senior tranche
    investment: int  # pounds, all holders and tranches
    equity_pct: int  # percent of the investment in an equity tranche B
    performance: Decimal  # achieved / forecast outcomes
    contracts: tuple[ContractSpec, ...]
    show_end: bool = True
    claims: bool = False
    notes: dict = field(default_factory=dict)


MIDLANDS = "Midlands Outcomes Partnership"
NORTHERN = "Northern Outcomes Partnerships"
CAPITAL = "Capital Outcomes Partnership"
WESTCOUNTRY = "Westcountry Social Outcomes"
CHILDREN = "Children's Outcomes Partnership"


def _c(suffix: str, name: str, value: int, *payers: Payer, **dates: date) -> ContractSpec:
    return ContractSpec(suffix, name, value, payers, dates.get("start"), dates.get("end"))


D = Decimal

# fmt: off
PROJECTS = (
    ProjectSpec(
        "YH-WMID", "Youth homelessness partnership, West Midlands", "youth homelessness",
        "West Midlands", MIDLANDS, date(2013, 11, 1), date(2017, 10, 31), "completed",
        (("SOF1", 60),), 1_400_000, 20, D("1.12"),
        (
            _c("1", "Accommodation, learning and work outcomes", 2_300_000,
               (YHOF, "0.6"), (council("Birmingham City Council"), "0.1"),
               (council("Coventry City Council"), "0.1"),
               (council("City of Wolverhampton Council"), "0.1"),
               (council("Sandwell Metropolitan Borough Council"), "0.1")),
            _c("2", "Sustainment outcomes", 900_000,
               (YHOF, "0.25"), (council("Dudley Metropolitan Borough Council"), "0.25"),
               (council("Walsall Council"), "0.25"),
               (council("Solihull Metropolitan Borough Council"), "0.25")),
        ),
    ),
    ProjectSpec(
        "YH-MANGRE", "Youth homelessness partnership, Manchester and Greenwich",
        "youth homelessness", "Manchester and Greenwich", NORTHERN, date(2013, 12, 1),
        date(2017, 11, 30), "completed", (("SOF1", 70),), 1_100_000, 0, D("1.05"),
        (
            _c("M", "Manchester outcomes", 1_500_000,
               (YHOF, "0.6"), (council("Manchester City Council"), "0.4")),
            _c("G", "Greenwich outcomes", 1_000_000,
               (YHOF, "0.6"), (council("Royal Borough of Greenwich"), "0.4")),
        ),
    ),
    ProjectSpec(
        "YH-WYORK", "Youth homelessness partnership, West Yorkshire", "youth homelessness",
        "West Yorkshire", NORTHERN, date(2014, 1, 6), date(2018, 6, 30), "completed",
        (("SOF1", 65),), 1_300_000, 25, D("1.20"),
        (
            _c("1", "West Yorkshire youth outcomes", 2_600_000,
               (YHOF, "0.6"), (council("Leeds City Council"), "0.1"),
               (council("City of Bradford Metropolitan District Council"), "0.1"),
               (council("Kirklees Council"), "0.1"), (council("Calderdale Council"), "0.05"),
               (council("Wakefield Council"), "0.05")),
        ),
    ),
    ProjectSpec(
        "YH-NORTHANTS", "Youth homelessness partnership, Northamptonshire",
        "youth homelessness", "Northamptonshire", MIDLANDS, date(2014, 4, 1),
        date(2017, 12, 31), "completed", (("SOF1", 75),), 800_000, 25, D("0.78"),
        (
            _c("1", "Northamptonshire youth outcomes", 1_400_000,
               (YHOF, "0.5"), (council("Northamptonshire County Council"), "0.3"),
               (council("Northampton Borough Council"), "0.2")),
        ),
    ),
    ProjectSpec(
        "CL-BRISTOL", "Care leavers partnership, Bristol", "care leavers", "Bristol",
        WESTCOUNTRY, date(2014, 9, 1), date(2019, 8, 31), "completed", (("SOF1", 60),),
        1_200_000, 20, D("1.10"),
        (
            _c("1", "Care leavers outcomes, first cohort", 1_600_000,
               (council("Bristol City Council"), "0.6"), (LOTTERY, "0.4")),
            _c("2", "Care leavers outcomes, second cohort", 1_000_000,
               (council("Bristol City Council"), "0.5"), (LOTTERY, "0.5"),
               start=date(2016, 9, 1)),
        ),
    ),
    ProjectSpec(
        "SB-ESSEX", "School inclusion partnership, Essex", "school-based support", "Essex",
        CHILDREN, date(2015, 1, 5), date(2017, 9, 30), "written_off", (("SOF1", 60),),
        600_000, 20, D("0.35"),
        (
            _c("1", "School inclusion outcomes", 1_600_000,
               (council("Essex County Council"), "0.5"), (DFE, "0.3"),
               (school("Chelmer Valley Academy Trust"), "0.2"), end=date(2019, 12, 31)),
        ),
    ),
    ProjectSpec(
        "SHP-LONDON", "Single homeless prevention, Greater London",
        "single homeless prevention", "Greater London", CAPITAL, date(2015, 6, 1),
        date(2019, 5, 31), "completed", (("SOF1", 60),), 1_500_000, 0, D("1.25"),
        (
            _c("GLA", "Prevention outcomes (pan-London)", 1_700_000,
               (council("Greater London Authority"), "0.5"), (HPOF, "0.5")),
            _c("BOR", "Borough tenancy outcomes", 1_200_000,
               (council("London Borough of Hackney"), "0.25"),
               (council("London Borough of Tower Hamlets"), "0.25"),
               (council("London Borough of Newham"), "0.25"),
               (council("London Borough of Haringey"), "0.25")),
        ),
    ),
    ProjectSpec(
        "FA-LANCS", "Fostering step-down partnership, Lancashire", "fostering and adoption",
        "Lancashire", CHILDREN, date(2015, 4, 1), date(2020, 3, 31), "completed",
        (("SOF1", 70),), 1_300_000, 20, D("1.00"),
        (
            _c("1", "Step-down and placement outcomes", 2_900_000,
               (council("Lancashire County Council"), "0.7"), (LCOF, "0.3")),
        ),
    ),
    ProjectSpec(
        "SP-NEWCASTLE", "Social prescribing partnership, Newcastle", "social prescribing",
        "Newcastle", NORTHERN, date(2015, 4, 1), date(2022, 3, 31), "completed",
        (("SOF1", 60),), 1_100_000, 0, D("0.92"),
        (
            _c("NHS", "Health outcomes", 1_900_000,
               (nhs("NHS Newcastle Gateshead Clinical Commissioning Group"), "0.6"),
               (LOTTERY, "0.4")),
            _c("LA", "Wellbeing outcomes", 900_000,
               (council("Newcastle City Council"), "0.4"),
               (council("North Tyneside Council"), "0.2"),
               (council("Gateshead Council"), "0.2"), (LOTTERY, "0.2")),
        ),
    ),
    ProjectSpec(
        "FT-BIRM", "Family therapy partnership, Birmingham", "family therapy", "Birmingham",
        MIDLANDS, date(2015, 10, 1), date(2019, 9, 30), "completed", (("SOF1", 65),),
        1_000_000, 0, D("1.08"),
        (
            _c("1", "Edge of care outcomes", 2_000_000,
               (council("Birmingham City Council"), "0.7"), (LCOF, "0.3")),
        ),
    ),
    ProjectSpec(
        "CL-SELON", "Care leavers partnership, South East London", "care leavers",
        "South East London", CAPITAL, date(2016, 4, 1), date(2021, 3, 31), "completed",
        (("SOF1", 40), ("SOF2", 30)), 1_400_000, 0, D("1.05"),
        (
            _c("1", "Care leavers outcomes", 2_700_000,
               (council("London Borough of Lewisham"), "0.2"),
               (council("London Borough of Southwark"), "0.2"),
               (council("London Borough of Lambeth"), "0.2"), (LOTTERY, "0.4")),
        ),
    ),
    ProjectSpec(
        "RS-GMCR", "Rough sleeping partnership, Greater Manchester", "rough sleeping",
        "Greater Manchester", NORTHERN, date(2016, 12, 1), date(2020, 11, 30), "completed",
        (("SOF1", 35), ("SOF2", 35)), 1_600_000, 20, D("1.15"),
        (
            _c("1", "Entrenched rough sleepers outcomes", 3_200_000,
               (council("Greater Manchester Combined Authority"), "0.3"), (RSOP, "0.5"),
               (council("Salford City Council"), "0.04"), (council("Bolton Council"), "0.04"),
               (council("Oldham Council"), "0.04"), (council("Stockport Council"), "0.03"),
               (council("Wigan Council"), "0.03"),
               (council("Rochdale Borough Council"), "0.02")),
        ),
    ),
    ProjectSpec(
        "FT-LONDON", "Family therapy partnership, London boroughs", "family therapy",
        "London", CAPITAL, date(2016, 10, 1), date(2020, 3, 31), "completed",
        (("SOF2", 60),), 3_000_000, 0, D("1.10"),
        (
            _c("1", "Family therapy outcomes, founding boroughs", 3_800_000,
               (council("London Borough of Camden"), "0.2"),
               (council("London Borough of Islington"), "0.2"),
               (council("Westminster City Council"), "0.2"),
               (council("Royal Borough of Kensington and Chelsea"), "0.2"),
               (council("London Borough of Hammersmith and Fulham"), "0.2")),
            _c("2", "Family therapy outcomes, expansion boroughs", 2_200_000,
               (council("London Borough of Brent"), "0.2"),
               (council("London Borough of Barnet"), "0.2"),
               (council("London Borough of Enfield"), "0.2"),
               (council("London Borough of Ealing"), "0.2"),
               (council("London Borough of Harrow"), "0.2"), start=date(2018, 4, 1)),
        ),
    ),
    ProjectSpec(
        "SP-NELINCS", "Social prescribing partnership, North East Lincolnshire",
        "social prescribing", "North East Lincolnshire", NORTHERN, date(2017, 1, 2),
        date(2023, 12, 31), "completed", (("SOF2", 65),), 900_000, 0, D("1.00"),
        (
            _c("1", "Social prescribing outcomes", 2_200_000,
               (nhs("NHS North East Lincolnshire Clinical Commissioning Group"), "0.5"),
               (council("North East Lincolnshire Council"), "0.2"), (LOTTERY, "0.3")),
        ),
    ),
    ProjectSpec(
        "DP-DEVON", "Diabetes prevention partnership, Devon", "diabetes prevention", "Devon",
        WESTCOUNTRY, date(2017, 4, 3), date(2022, 3, 31), "completed", (("SOF2", 70),),
        1_200_000, 20, D("0.80"),
        (
            _c("NHS", "Clinical outcomes", 2_000_000,
               (nhs("NHS Devon Clinical Commissioning Group"), "0.7"), (LOTTERY, "0.3")),
            _c("LA", "Healthy weight outcomes", 800_000,
               (council("Devon County Council"), "0.4"), (council("Torbay Council"), "0.2"),
               (council("Plymouth City Council"), "0.2"),
               (council("Exeter City Council"), "0.2")),
        ),
    ),
    ProjectSpec(
        "FA-YORKS", "Adoption support partnership, Yorkshire and the Humber",
        "fostering and adoption", "Yorkshire and the Humber", CHILDREN, date(2017, 7, 3),
        date(2022, 6, 30), "completed", (("SOF2", 60),), 1_000_000, 0, D("1.05"),
        (
            _c("1", "Adoption and permanence outcomes", 2_200_000,
               (council("Sheffield City Council"), "0.3"), (council("Hull City Council"), "0.2"),
               (council("City of Doncaster Council"), "0.2"), (LCOF, "0.3")),
        ),
    ),
    ProjectSpec(
        "SB-LIVERPOOL", "School inclusion partnership, Liverpool", "school-based support",
        "Liverpool", CHILDREN, date(2017, 9, 4), date(2022, 8, 31), "completed",
        (("SOF2", 65),), 900_000, 0, D("1.10"),
        (
            _c("1", "Inclusion and attendance outcomes", 2_000_000,
               (council("Liverpool City Council"), "0.4"), (council("Knowsley Council"), "0.1"),
               (DFE, "0.3"), (school("Mersey Learning Trust"), "0.2")),
        ),
    ),
    ProjectSpec(
        "SB-NOTTS", "School inclusion partnership, Nottinghamshire", "school-based support",
        "Nottinghamshire", CHILDREN, date(2018, 1, 8), date(2023, 7, 31), "completed",
        (("SOF2", 55),), 800_000, 0, D("0.88"),
        (
            _c("CC", "County schools outcomes", 1_100_000,
               (council("Nottinghamshire County Council"), "0.7"), (DFE, "0.3")),
            _c("CITY", "City schools outcomes", 700_000,
               (council("Nottingham City Council"), "0.7"), (DFE, "0.3")),
        ),
    ),
    ProjectSpec(
        "FA-SURREY", "Foster carer recruitment partnership, Surrey", "fostering and adoption",
        "Surrey", CHILDREN, date(2018, 4, 2), date(2024, 3, 31), "completed",
        (("SOF2", 65),), 1_200_000, 20, D("1.08"),
        (
            _c("1", "Foster placement outcomes", 2_500_000,
               (council("Surrey County Council"), "0.7"), (LCOF, "0.3")),
        ),
    ),
    ProjectSpec(
        "FT-MERSEY", "Family therapy partnership, Merseyside", "family therapy", "Merseyside",
        CHILDREN, date(2018, 7, 2), date(2023, 6, 30), "completed", (("SOF2", 60),),
        900_000, 0, D("0.97"),
        (
            _c("1", "Edge of care outcomes", 2_200_000,
               (council("Wirral Council"), "0.35"), (council("Sefton Council"), "0.35"),
               (LCOF, "0.3")),
        ),
    ),
    ProjectSpec(
        "FA-NORFOLK", "Adoption of older children partnership, Norfolk",
        "fostering and adoption", "Norfolk", CHILDREN, date(2018, 10, 1), date(2025, 9, 30),
        "completed", (("SOF2", 60),), 1_000_000, 0, D("1.00"),
        (
            _c("1", "Permanence outcomes", 2_100_000,
               (council("Norfolk County Council"), "0.7"), (LCOF, "0.3")),
        ),
    ),
    ProjectSpec(
        "SB-LEICS", "School-based support partnership, Leicestershire",
        "school-based support", "Leicestershire", CHILDREN, date(2019, 1, 7),
        date(2024, 12, 31), "completed", (("SOF2", 60),), 700_000, 0, D("1.02"),
        (
            _c("1", "Attendance and inclusion outcomes", 1_700_000,
               (council("Leicestershire County Council"), "0.5"),
               (council("Leicester City Council"), "0.2"), (DFE, "0.3")),
        ),
    ),
    ProjectSpec(
        "FA-KENT", "Fostering step-down partnership, Kent", "fostering and adoption", "Kent",
        CHILDREN, date(2019, 4, 1), date(2027, 3, 31), "active", (("SOF2", 60),),
        1_600_000, 20, D("1.12"),
        (
            _c("KCC", "Kent step-down outcomes", 3_400_000,
               (council("Kent County Council"), "0.7"), (LCOF, "0.3")),
            _c("MED", "Medway step-down outcomes", 1_200_000,
               (council("Medway Council"), "0.7"), (LCOF, "0.3")),
        ),
        claims=True,
    ),
    ProjectSpec(
        "FT-SUSSEX", "Family therapy partnership, West Sussex", "family therapy",
        "West Sussex", CHILDREN, date(2019, 7, 1), date(2025, 6, 30), "completed",
        (("SOF2", 60),), 900_000, 0, D("1.10"),
        (
            _c("1", "Edge of care outcomes", 2_300_000,
               (council("West Sussex County Council"), "0.6"),
               (nhs("NHS West Sussex Clinical Commissioning Group"), "0.1"), (LCOF, "0.3")),
        ),
    ),
    ProjectSpec(
        "FT-HERTS", "Family therapy partnership, Hertfordshire", "family therapy",
        "Hertfordshire", CHILDREN, date(2019, 10, 1), date(2026, 9, 30), "active",
        (("SOF2", 70),), 1_300_000, 0, D("1.05"),
        (
            _c("1", "Edge of care outcomes", 3_200_000,
               (council("Hertfordshire County Council"), "0.7"), (LCOF, "0.3")),
        ),
        claims=True,
    ),
    ProjectSpec(
        "SB-SHEFF", "School-based support partnership, Sheffield", "school-based support",
        "Sheffield", CHILDREN, date(2020, 1, 6), date(2027, 12, 31), "active",
        (("SOF2", 65),), 1_100_000, 0, D("0.95"),
        (
            _c("1", "Attendance and inclusion outcomes", 2_600_000,
               (council("Sheffield City Council"), "0.3"), (DFE, "0.3"),
               (council("Rotherham Metropolitan Borough Council"), "0.1"),
               (school("Don Valley Schools Trust"), "0.1"),
               (school("Steel City Academies"), "0.1"),
               (charity("Hallam Philanthropic Trust"), "0.1")),
        ),
        show_end=False,
        claims=True,
    ),
    ProjectSpec(
        "FA-CUMBRIA", "Fostering and adoption partnership, Cumbria", "fostering and adoption",
        "Cumbria", CHILDREN, date(2020, 1, 6), date(2027, 12, 31), "active",
        (("SOF2", 60),), 900_000, 0, D("0.90"),
        (
            _c("1", "Placement stability outcomes", 2_000_000,
               (council("Cumbria County Council"), "0.6"), (LCOF, "0.3"),
               (charity("Eden Valley Charitable Trust"), "0.1")),
        ),
    ),
    ProjectSpec(
        "SB-CORNWALL", "School-based wellbeing partnership, Cornwall", "school-based support",
        "Cornwall", WESTCOUNTRY, date(2020, 4, 1), date(2026, 12, 31), "active",
        (("SOF2", 60),), 700_000, 0, D("1.00"),
        (
            _c("1", "Pupil wellbeing and attendance outcomes", 1_500_000,
               (council("Cornwall Council"), "0.6"), (school("Kernow Learning Trust"), "0.2"),
               (DFE, "0.2")),
        ),
    ),
)
# fmt: on


@dataclass(frozen=True)
class MetricTemplate:
    """A priced outcome used by every contract in one policy area."""

    key: str
    name: str
    price: int  # pounds per outcome (a multiple of 10)
    weight: Decimal  # share of the contract's forecast value
    unit_value_code: str


def _m(key: str, name: str, price: int, weight: str, code: str) -> MetricTemplate:
    return MetricTemplate(key, name, price, Decimal(weight), code)


# fmt: off
METRICS = {
    "youth homelessness": (
        _m("ACC", "Entry into stable accommodation", 500, "0.12", "UV-HOMELESS-ENTRY"),
        _m("SUS6", "Accommodation sustained 6 months", 1500, "0.30", "UV-HOMELESS-6M"),
        _m("EET", "Entry into education, employment or training", 1000, "0.13", "UV-NEET-EET"),
        _m("EMP13", "Employment sustained 13 weeks", 2800, "0.20", "UV-EMPLOY-13W"),
        _m("HB", "Housing benefit claim closed", 300, "0.05", "UV-HB-TRANSFER"),
        _m("L2", "First Level 2 qualification", 1230, "0.20", "UV-QUAL-L2"),
    ),
    "care leavers": (
        _m("SUS12", "Accommodation sustained 12 months", 2200, "0.30", "UV-HOMELESS-12M"),
        _m("EET", "Entry into education, employment or training", 1000, "0.20", "UV-NEET-EET"),
        _m("EMP26", "Employment sustained 26 weeks", 3500, "0.35", "UV-EMPLOY-26W"),
        _m("WELL", "Wellbeing improvement (WEMWBS)", 600, "0.15", "UV-WELLBEING"),
    ),
    "single homeless prevention": (
        _m("PREV", "Homelessness prevented, tenancy sustained 6 months", 1800, "0.60",
           "UV-HOMELESS-PREVENT"),
        _m("EMP13", "Employment sustained 13 weeks", 2000, "0.25", "UV-EMPLOY-13W"),
        _m("MH", "Engagement with mental health support", 500, "0.15", "UV-MH-ENGAGE"),
    ),
    "rough sleeping": (
        _m("OFF", "Off the streets into accommodation", 2000, "0.30", "UV-ROUGH-SLEEP"),
        _m("SUS12", "Tenancy sustained 12 months", 4000, "0.40", "UV-HOMELESS-12M"),
        _m("SUB", "Sustained engagement with substance misuse treatment", 800, "0.15",
           "UV-SUBSTANCE"),
        _m("VOL", "Entry into volunteering or work", 1500, "0.15", "UV-EMPLOY-13W"),
    ),
    "social prescribing": (
        _m("WELL", "Wellbeing improvement (SWEMWBS)", 400, "0.50", "UV-WELLBEING"),
        _m("SEC", "Reduction in secondary care use", 600, "0.50", "UV-NHS-SECONDARY"),
    ),
    "diabetes prevention": (
        _m("HBA1C", "HbA1c reduced and sustained 12 months", 700, "0.60", "UV-DIABETES"),
        _m("WT5", "Weight loss of 5% sustained", 300, "0.40", "UV-HEALTHY-WEIGHT"),
    ),
    "family therapy": (
        _m("COMP", "Family completes therapy", 4000, "0.25", ""),
        _m("OOC12", "Child remains out of care 12 months", 13000, "0.65", "UV-CARE-AVOIDED"),
        _m("ATT", "Improved school attendance", 2000, "0.10", "UV-SCHOOL-ATTEND"),
    ),
    "fostering and adoption": (
        _m("STEP", "Step-down from residential to foster care", 15000, "0.40",
           "UV-FOSTER-STEPDOWN"),
        _m("P52", "Placement sustained 52 weeks", 10000, "0.40", "UV-FOSTER-52W"),
        _m("PERM", "Adoption or special guardianship order", 8000, "0.20", "UV-ADOPTION"),
    ),
    "school-based support": (
        _m("ABS", "Persistent absence ended", 800, "0.40", "UV-SCHOOL-ATTEND"),
        _m("EXCL", "Permanent exclusion avoided", 3500, "0.40", "UV-EXCLUSION-AVOIDED"),
        _m("KS4", "Improved attainment at Key Stage 4", 600, "0.20", "UV-ATTAINMENT"),
    ),
}
# fmt: on

BALANCING_CONTRACT = "YH-WMID-1"
"""The contract whose counts are solved so outcome payments total exactly £72.2m."""

TOTAL_OUTCOME_PAYMENTS = 72_200_000

# FT-LONDON's achieved counts are set by hand: 6.6m of outcome payments in all.
FT_LONDON_COUNTS = {
    "FT-LONDON-1": {"COMP": 250, "OOC12": 230, "ATT": 105},  # 1.0m + 2.99m + 0.21m = 4.2m
    "FT-LONDON-2": {"COMP": 140, "OOC12": 130, "ATT": 75},  # 0.56m + 1.69m + 0.15m = 2.4m
}
