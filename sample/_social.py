"""The sample's unit values, calibrated so the programme's social value comes out.

Values are per outcome in 2015/16 prices (``price_year`` 2015), after the
GMCA / New Economy Unit Cost Database v1.4 (CC BY 4.0) and HM Treasury's
wellbeing guidance; multi-year values say so in their description and in
``duration_years``. One value per dimension is then solved to the penny so that
the totals over all achieved outcomes come to the published £164m fiscal,
£224m social and £444m economic.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, replace
from decimal import ROUND_HALF_UP, Decimal
from typing import TYPE_CHECKING

from ._common import Row, fraction

if TYPE_CHECKING:
    from ._outcomes import Contract

TARGETS = {"fiscal": 164_000_000, "economic": 444_000_000, "social": 224_000_000}
BALANCERS = {"fiscal": "UV-HOMELESS-6M", "economic": "UV-EXCLUSION-AVOIDED",
             "social": "UV-WELLBEING"}  # fmt: skip
PRICE_YEAR = 2015

UCD = "GMCA/New Economy Unit Cost Database v1.4"
WELLBY = "HM Treasury Wellbeing Guidance for Appraisal (2021), WELLBY £13,000 in 2019 prices"


@dataclass(frozen=True)
class UnitValue:
    """One row of unit_values.csv; money in pounds."""

    code: str
    description: str
    fiscal: Decimal
    economic: Decimal
    social: Decimal
    source: str
    deadweight: Decimal
    attribution: Decimal | None
    optimism_bias: Decimal
    transfer: bool = False
    duration_years: int = 1

    @property
    def factor(self) -> Decimal:
        """(1 − deadweight) × attribution × (1 − optimism bias)."""
        attribution = Decimal(1) if self.attribution is None else self.attribution
        return (1 - self.deadweight) * attribution * (1 - self.optimism_bias)


def _uv(
    code: str, description: str, values: tuple[int, int, int], source: str,
    factors: tuple[str, str | None, str], transfer: bool = False, years: int = 1,
) -> UnitValue:  # fmt: skip
    fiscal, economic, social = (Decimal(v) for v in values)
    deadweight, attribution, optimism = factors
    return UnitValue(
        code, description, fiscal, economic, social, source, Decimal(deadweight),
        None if attribution is None else Decimal(attribution), Decimal(optimism), transfer, years,
    )  # fmt: skip


HOUSING = ("0.2", "0.8", "0.15")
WORK = ("0.3", "0.75", "0.1")
HEALTH = ("0.25", "0.7", "0.15")
CHILDREN = ("0.3", "0.8", "0.15")
SCHOOL = ("0.25", "0.7", "0.1")

# fmt: off
UNIT_VALUES = (
    _uv("UV-HOMELESS-ENTRY", "Statutory homelessness application avoided on entry to stable "
        "accommodation", (2724, 0, 6500),
        f"Illustrative, after {UCD} HO3.0 (CC BY 4.0); social value after {WELLBY}", HOUSING),
    _uv("UV-HOMELESS-6M", "Six months in stable accommodation instead of hostel or temporary "
        "accommodation", (4340, 5000, 13000),
        f"Illustrative, after {UCD} HO4.0 (CC BY 4.0); social value after {WELLBY}", HOUSING),
    _uv("UV-HOMELESS-12M", "Twelve months' tenancy sustained by a former rough sleeper or care "
        "leaver", (11000, 6000, 30000),
        f"Illustrative, after {UCD} HO6.0 (CC BY 4.0); social value after {WELLBY}", HOUSING),
    _uv("UV-HOMELESS-PREVENT", "Homelessness prevented: complex eviction and statutory "
        "application avoided", (10000, 3000, 13000),
        f"Illustrative, after {UCD} HO1.0 and HO3.0 (CC BY 4.0)", HOUSING),
    _uv("UV-ROUGH-SLEEP", "Rough sleeper accommodated: two years of local authority "
        "expenditure avoided", (17210, 0, 30000),
        f"Illustrative, after {UCD} HO6.0 (CC BY 4.0); social value after {WELLBY}",
        ("0.2", None, "0.15"), years=2),
    _uv("UV-HB-TRANSFER", "Housing Benefit no longer paid, one year (a benefit payment: a "
        "transfer, not a saving to society)", (4888, 0, 0),
        f"Illustrative, after {UCD} HO7.0 (CC BY 4.0)", HOUSING, transfer=True),
    _uv("UV-NEET-EET", "Young person no longer NEET: three years of fiscal cost avoided and "
        "lifetime economic gain", (13911, 55000, 10000),
        f"Illustrative, after {UCD} E&E10.0 (CC BY 4.0)", WORK, years=3),
    _uv("UV-EMPLOY-13W", "Workless claimant in sustained work: two years of fiscal benefit and "
        "lifetime economic gain", (20642, 65000, 13000),
        f"Illustrative, after {UCD} E&E1.0 (CC BY 4.0)", WORK, years=2),
    _uv("UV-EMPLOY-26W", "Care leaver in work for 26 weeks: three years of fiscal benefit and "
        "lifetime economic gain", (30963, 75000, 13000),
        f"Illustrative, after {UCD} E&E1.0 (CC BY 4.0)", WORK, years=3),
    _uv("UV-QUAL-L2", "First Level 2 qualification: ten years of fiscal and economic benefit",
        (8574, 25000, 2000), f"Illustrative, after {UCD} E&S8.0 (CC BY 4.0)", WORK, years=10),
    _uv("UV-WELLBEING", "Wellbeing improvement of about one point of life satisfaction for a "
        "year", (977, 0, 13000),
        f"Illustrative, after {WELLBY}; fiscal value after {UCD} HE11.0 (CC BY 4.0)",
        ("0.2", "0.6", "0.2")),
    _uv("UV-MH-ENGAGE", "Adult with depression or anxiety engaged with support, one year",
        (977, 4522, 6500), f"Illustrative, after {UCD} HE11.0 (CC BY 4.0)", HEALTH),
    _uv("UV-SUBSTANCE", "Sustained drug treatment: a year of offending and health costs avoided",
        (3727, 9234, 3933), f"Illustrative, after {UCD} HE2.0 (CC BY 4.0)", HEALTH),
    _uv("UV-NHS-SECONDARY", "Unplanned hospital attendances and admissions avoided, one year",
        (1500, 1000, 2000), f"Illustrative, after {UCD} health section (CC BY 4.0)", HEALTH),
    _uv("UV-DIABETES", "Onset of type 2 diabetes delayed: NHS care avoided and health gain",
        (2000, 8000, 10500),
        f"Illustrative, after {UCD} health section (CC BY 4.0); social value after the Green "
        "Book QALY value", HEALTH, years=5),
    _uv("UV-HEALTHY-WEIGHT", "Weight loss of 5% sustained: health gain", (500, 1500, 3000),
        "Illustrative, after the Green Book QALY value", HEALTH),
    _uv("UV-CARE-AVOIDED", "Child kept out of care: a year of care costs avoided and lifetime "
        "gain", (52676, 200000, 70000),
        f"Illustrative, after {UCD} SS1.0 (CC BY 4.0)", CHILDREN),
    _uv("UV-FOSTER-STEPDOWN", "Step-down from residential to foster care: half a year of the "
        "cost difference", (61542, 40000, 40000),
        f"Illustrative, after {UCD} SS2.0 and SS3.0 (CC BY 4.0)", CHILDREN),
    _uv("UV-FOSTER-52W", "Foster placement sustained for a year: placement breakdown avoided",
        (30000, 20000, 20000), f"Illustrative, after {UCD} SS2.0 to SS2.8 (CC BY 4.0)",
        CHILDREN),
    _uv("UV-ADOPTION", "Adoption or special guardianship: two years of foster care avoided",
        (75075, 40000, 50000), f"Illustrative, after {UCD} SS2.0 (CC BY 4.0)", CHILDREN,
        years=2),
    _uv("UV-SCHOOL-ATTEND", "Persistent absence ended: two years of its fiscal cost and "
        "economic gain", (3756, 3000, 3000), f"Illustrative, after {UCD} E&S1.0 (CC BY 4.0)",
        SCHOOL, years=2),
    _uv("UV-EXCLUSION-AVOIDED", "Permanent exclusion avoided: a year's fiscal cost and "
        "lifetime economic gain", (11473, 150000, 25000),
        f"Illustrative, after {UCD} E&S2.0 (CC BY 4.0)", SCHOOL),
    _uv("UV-ATTAINMENT", "Improved attainment: ten years of fiscal and economic benefit",
        (3589, 50000, 2000), f"Illustrative, after {UCD} E&S4.1 (CC BY 4.0)", SCHOOL, years=10),
)
# fmt: on


def achieved_by_code(contracts: list[Contract]) -> dict[str, int]:
    """Achieved outcomes over all periods, by unit value code."""
    counts: dict[str, int] = defaultdict(int)
    for contract in contracts:
        for metric in contract.metrics:
            if metric.template.unit_value_code:
                counts[metric.template.unit_value_code] += sum(metric.achieved.values())
    return counts


def calibrated(contracts: list[Contract]) -> tuple[UnitValue, ...]:
    """The unit values with one value per dimension solved to meet its target."""
    counts = achieved_by_code(contracts)
    values = {uv.code: uv for uv in UNIT_VALUES}
    for dimension, code in BALANCERS.items():
        others = sum(
            getattr(uv, dimension) * uv.factor * counts[uv.code]
            for uv in values.values()
            if uv.code != code and not uv.transfer
        )
        balancer = values[code]
        solved = (TARGETS[dimension] - others) / (balancer.factor * counts[code])
        solved = solved.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
        if solved <= 0:
            raise AssertionError(f"{code} {dimension} would be {solved}")
        values[code] = replace(balancer, **{dimension: solved})
    return tuple(values.values())


def unit_value_rows(contracts: list[Contract]) -> list[Row]:
    return [
        {
            "code": uv.code,
            "description": uv.description,
            "fiscal": f"{uv.fiscal:.2f}",
            "economic": f"{uv.economic:.2f}",
            "social": f"{uv.social:.2f}",
            "price_year": str(PRICE_YEAR),
            "source": uv.source,
            "deadweight": fraction(uv.deadweight),
            "attribution": "" if uv.attribution is None else fraction(uv.attribution),
            "optimism_bias": fraction(uv.optimism_bias),
            "transfer": "true" if uv.transfer else "false",
            "duration_years": str(uv.duration_years),
        }
        for uv in calibrated(contracts)
    ]
