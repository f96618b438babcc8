"""The claims registry: one reviewable ``claims.yaml`` per article, validated into ``Claim`` objects.

Every problem is reported at once, each as one line naming the file, the claim id and the field,
so a reviewer can fix a registry in one pass.
"""

from __future__ import annotations

import difflib
import math
from enum import Enum
from pathlib import Path
from typing import Annotated, Any, Literal, Union

import yaml
from pydantic import AfterValidator, BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from claimcheck import paths
from claimcheck.registry.periods import parse_period
from claimcheck.registry.units import QUANTITIES, SCALE_WORDS, known_unit
from claimcheck.registry.yamltext import compose_yaml, load_yaml, yaml_error_line


class Strict(BaseModel):
    """Base model that rejects unknown fields (a typo must not be silently ignored)."""

    model_config = ConfigDict(extra="forbid", frozen=True)


class Kind(str, Enum):
    """What sort of statement a claim is."""

    amount = "amount"
    change = "change"
    share = "share"
    rank = "rank"
    date = "date"
    duration = "duration"
    count = "count"
    event = "event"
    forecast = "forecast"
    characterisation = "characterisation"
    opinion = "opinion"


class Comparator(str, Enum):
    """How the claimed value is compared with the reference value."""

    exceeds = "exceeds"  # "exceeded", "more than": reference > claimed
    at_least = "at_least"  # reference >= claimed
    at_most = "at_most"  # "up to", "almost": reference <= claimed
    about = "about"  # "about", "some", "around": within the tolerance (relative)
    rounded = "rounded"  # a plain figure: the reference rounds to it ("$28.7 billion" = 28.65-28.75)
    equals = "equals"  # exact (counts, years, ranks)
    before = "before"  # a date strictly before the claimed one
    by = "by"  # a deadline: on or before the claimed date/year
    within_decade = "within_decade"  # "in the 1980s"
    min_duration = "min_duration"  # "over five decades": at least this many years
    rank = "rank"  # "second largest": the reference rank equals the claimed rank
    attested = "attested"  # a statement or event: holds when a cited document records it


# the named units; any ISO 4217 currency is one too, and each may follow a scale word (registry/units.py)
UNITS = set(QUANTITIES) | {"USD", "EUR", "CNY"}
UNITS_HELP = (f"expected an ISO 4217 currency (USD, EUR, INR…) or one of {', '.join(sorted(UNITS))}, "
              f"optionally after a scale word ({', '.join(SCALE_WORDS)})")

# Each op with the fields it needs and the further fields it accepts (``scale`` always). A field an op
# does not use is an error when the registry loads, not a surprise when it runs.
_SERIES = {"entity", "measure"}  # picks one series out of the selected rows
OP_FIELDS: dict[str, tuple[set[str], set[str]]] = {
    "value": (set(), {"period"}),
    "sum": (set(), {"period", "require_complete", "entities"}),
    "yoy_change": ({"period"}, {"require_complete"}),
    "growth": ({"period", "base_period"}, {"require_complete"}),
    "change": ({"period", "base_period"}, {"require_complete"}),
    "cagr": ({"period", "base_period"}, {"require_complete"}),
    "share": (set(), {"entity", "entities", "total", "period", "exclude_aggregates", "require_complete"}),
    "rank": ({"entity"}, {"period", "exclude_aggregates"}),
    "years_between": ({"start", "end"}, set()),
    "implied_base": (set(), set()),
    "period_rank": ({"period"}, _SERIES | {"since"}),
    "throughout": ({"each", "period"}, {"entity", "entities", "other", "measure", "other_measure", "total",
                                         "exclude_aggregates", "unit"}),
    "crossing": (set(), _SERIES | {"other", "other_measure", "since", "period"}),
    "rank_change": ({"entity", "period", "base_period"}, {"exclude_aggregates"}),
    "first_since": ({"period"}, _SERIES | {"threshold", "direction"}),
    "ratio": ({"period"}, _SERIES | {"other", "other_measure", "unit"}),
    "difference": ({"period"}, _SERIES | {"other", "other_measure"}),
    "consecutive": ({"period", "trend"}, _SERIES),
}
OPS = set(OP_FIELDS)
EACH_OPS = {"value", "rank", "share", "ratio", "difference"}  # what ``throughout`` can apply to every period
_TWO_SIDED = {"crossing", "ratio", "difference"}  # compare a second series: ``other`` and/or ``other_measure``
_ALWAYS = {"op", "scale"}


RATE_UNITS = {"percent", "percentage_points"}  # compared in percentage points, with the bands in points


def check_band(value: Any) -> str | float:
    """A band named in ``data/reference/catalogue/bands.yaml`` or a number of 0 or more (a claim's own band:
    relative for amounts, 0.02 for 2%; percentage points for rates, checked by ``Claimed``)."""
    from claimcheck.registry.bands import BandsError, band_names

    if isinstance(value, str):
        try:
            names = band_names()
        except BandsError as exc:
            raise ValueError(str(exc)) from None
        if value not in names:
            raise ValueError(f"unknown band {value!r}; expected a number or one of {', '.join(names)}")
        return value
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value) or value < 0:
        raise ValueError(f"band {value!r} must be a number of 0 or more (0.02 for 2%, or points for a rate) or a band name")
    return float(value)


def _finite(value: float | None) -> float | None:
    if value is not None and not math.isfinite(value):
        raise ValueError(f"{value} is not a finite number")
    return value


def _finite_non_negative(value: float | None) -> float | None:
    if _finite(value) is not None and value < 0:
        raise ValueError(f"{value} is negative; it must be 0 or more")
    return value


def _finite_positive(value: float | None) -> float | None:
    if _finite(value) is not None and value <= 0:
        raise ValueError(f"{value} must be more than 0")
    return value


def _not_blank(value: str) -> str:
    if not value.strip():
        raise ValueError("is empty or only whitespace")
    return value


Finite = Annotated[float, AfterValidator(_finite)]
NotBlank = Annotated[str, AfterValidator(_not_blank)]


def _check_period(value: str) -> str:
    parse_period(value)
    return value


PeriodText = Annotated[str, AfterValidator(_check_period)]


def _not_a_period(value: str, name: str) -> None:
    try:
        parse_period(value)
    except ValueError:
        return
    raise ValueError(f"{name} {value!r} looks like a period, not an entity code; did you mean 'period: {value}'?")


class Compute(Strict):
    """A computation over the rows an evidence selects (see ``claimcheck.judge.compute``)."""

    op: str = "value"
    period: PeriodText | None = None  # the period summed or read ("2022-01/2022-08"); for throughout, the span
    base_period: PeriodText | None = None  # the comparison period for growth, cagr and rank_change
    entity: str | None = None  # whose rank, share, series or ratio numerator
    entities: list[str] | None = None  # sum or share over these entities (e.g. the EU members); all must be present
    other: str | None = None  # the second entity of a crossing, ratio or difference
    measure: str | None = None  # the series (measure) used, when the rows hold several
    other_measure: str | None = None  # the second series of a crossing, ratio or difference (per capita)
    total: str | None = None  # share: the entity whose row is the total (e.g. the world aggregate)
    since: PeriodText | None = None  # period_rank, crossing: only periods from this one on
    each: str | None = None  # throughout: the op applied to every period of the span
    threshold: Finite | None = None  # first_since: the condition is above/below this value
    direction: Literal["above", "below"] = "above"  # first_since: "highest"/"above" or "lowest"/"below"
    trend: Literal["rise", "fall"] | None = None  # consecutive: the run of rises or of falls ending in ``period``
    unit: str | None = None  # ratio: the unit of the result (e.g. USD for GDP per person)
    exclude_aggregates: bool = True  # ranks ignore regional and income-group aggregates
    start: str | None = None  # years_between: a date, or a measure whose value is a date
    end: str | None = None  # years_between: a date, or "article" for the article's date
    scale: Annotated[float, AfterValidator(_finite)] = 1.0  # multiply the result (e.g. 1e6 for "US$ millions")
    require_complete: bool = True  # a sum over months refuses a period with missing months

    @field_validator("scale")
    @classmethod
    def _scale_not_zero(cls, value: float) -> float:
        if value == 0:
            raise ValueError("scale 0 would turn every result into 0")
        return value

    @field_validator("op")
    @classmethod
    def _known_op(cls, value: str) -> str:
        if value not in OPS:
            raise ValueError(f"unknown op {value!r}; expected one of {', '.join(sorted(OPS))}")
        return value

    @model_validator(mode="after")
    def _fields_fit_op(self) -> "Compute":
        required, optional = OP_FIELDS[self.op]
        given = set(self.model_fields_set) - _ALWAYS
        if self.op == "throughout" and self.each in OP_FIELDS:
            optional = optional | OP_FIELDS[self.each][0] | OP_FIELDS[self.each][1]
        missing = sorted(required - given)
        if missing:
            raise ValueError(f"op {self.op} needs {', '.join(repr(m) for m in missing)}")
        unused = sorted(given - required - optional)
        if unused:
            raise ValueError(f"op {self.op} does not use {', '.join(repr(u) for u in unused)}")
        two_sided = self.op in _TWO_SIDED or (self.op == "throughout" and self.each in _TWO_SIDED)
        if two_sided and not (self.other or self.other_measure):
            raise ValueError(f"op {self.each or self.op} needs 'other' (an entity) or 'other_measure' (a series)")
        if self.op == "throughout":
            if self.each not in EACH_OPS:
                raise ValueError(f"throughout: each {self.each!r} is not one of {', '.join(sorted(EACH_OPS))}")
            if self.each == "rank" and not self.entity:
                raise ValueError("throughout with each: rank needs 'entity'")
        if self.op == "share" and not (self.entity or self.entities):
            raise ValueError("op share needs 'entity' or 'entities'")
        for name in ("entity", "other", "total"):
            if getattr(self, name):
                _not_a_period(getattr(self, name), name)
        for code in self.entities or []:
            _not_a_period(code, "entities item")
        if self.unit is not None and not known_unit(self.unit):
            raise ValueError(f"unknown unit {self.unit!r}; {UNITS_HELP}")
        return self


Role = Literal["decisive", "context"]  # context evidence is shown beside the verdict, never decides it


class MoreRows(Strict):
    """Rows of a second snapshot joined to an evidence's rows (e.g. population beside GDP, for per-capita ratios)."""

    source: str | None = None  # default: the evidence's own source
    snapshot: str
    select: dict[str, str | list[str]] = Field(default_factory=dict)


# How many input measures each derive op takes (at least, at most; None: no upper bound).
DERIVE_OPS = {"sum": (2, None), "difference": (2, 2), "ratio": (2, 2), "per_person": (2, 2), "scaled": (1, 1)}


class Derive(Strict):
    """A series computed from the selected rows, per entity and period, before ``compute`` runs on it:
    exports plus imports, a surplus, investment as a share of GDP, emissions per person from two tables."""

    op: Literal["sum", "difference", "ratio", "per_person", "scaled"]
    measures: list[str] = Field(min_length=1)  # the input measures, in order (difference: a − b; ratio: a / b)
    name: NotBlank  # the derived series' measure code, which the ops and the sentences name
    factor: Annotated[float, AfterValidator(_finite)] = 1.0  # multiplies the result (100: a ratio in percent)
    unit: str | None = None  # the result's unit; default: the first measure's (ratio: times)

    @model_validator(mode="after")
    def _measures_fit_op(self) -> "Derive":
        least, most = DERIVE_OPS[self.op]
        if len(self.measures) < least or (most is not None and len(self.measures) > most):
            wanted = f"{least}" if least == most else f"at least {least}"
            raise ValueError(f"derive {self.op} takes {wanted} measures, got {len(self.measures)}")
        if self.unit is not None and not known_unit(self.unit):
            raise ValueError(f"unknown unit {self.unit!r}; {UNITS_HELP}")
        if self.factor == 0:
            raise ValueError("factor 0 would turn every value into 0")
        return self


class DatasetEvidence(Strict):
    """Rows of a reference snapshot, filtered by ``select`` and reduced by ``compute``."""

    kind: Literal["dataset"]
    role: Role = "decisive"
    source: str
    snapshot: str
    select: dict[str, str | list[str]] = Field(default_factory=dict)
    compute: Compute = Compute()
    label: str | None = None
    why_missing: str | None = None  # said when no offline snapshot holds this evidence
    also: list[MoreRows] = Field(default_factory=list)  # rows of other snapshots added before ``compute``
    derive: Derive | None = None  # a series computed from the rows (and ``also``'s) that ``compute`` then reads


class DocumentEvidence(Strict):
    """Facts stated by a published document in the documents registry."""

    kind: Literal["document"]
    role: Role = "decisive"
    document: str | list[str]  # one id, or several whose facts are combined (e.g. summed)
    measures: list[str] = Field(default_factory=list)  # facts used; empty for a quote-only citation
    period: PeriodText | list[PeriodText] | None = None  # the facts' stated period(s), matched as written
    compute: Compute = Compute()
    label: str | None = None


class InternalEvidence(Strict):
    """Arithmetic on the article's own numbers (e.g. the base a growth rate implies)."""

    kind: Literal["internal"]
    role: Role = "decisive"
    inputs: dict[str, float | str]

    @field_validator("inputs")
    @classmethod
    def _finite_inputs(cls, value: dict[str, float | str]) -> dict[str, float | str]:
        for name, number in value.items():
            if isinstance(number, float) and not math.isfinite(number):
                raise ValueError(f"input {name!r} is {number}, not a finite number")
        return value
    compute: Compute
    label: str | None = None


Evidence = Annotated[Union[DatasetEvidence, DocumentEvidence, InternalEvidence], Field(discriminator="kind")]


class Claimed(Strict):
    """The claimed value with its unit, period and comparator."""

    comparator: Comparator
    value: float | str | None = None  # None only for "attested"
    unit: str | None = None
    period: PeriodText | None = None
    tolerance: Annotated[float, AfterValidator(_finite_non_negative)] | None = None  # relative, e.g. 0.05; widens "about" and "rounded"
    precision: Annotated[float, AfterValidator(_finite_positive)] | None = None  # unit of the last written digit (0.1e9 for "$28.7 billion");
    # when absent, "rounded" infers it from the significant digits of ``value``
    band: str | float | None = None  # agreement band: a band name, or a number (relative; points for a rate), overrides the catalogue's

    @field_validator("band")
    @classmethod
    def _known_band(cls, value: Any) -> Any:
        return None if value is None else check_band(value)

    @field_validator("value")
    @classmethod
    def _finite_value(cls, value: float | str | None) -> float | str | None:
        if isinstance(value, float) and not math.isfinite(value):
            raise ValueError(f"{value} is not a finite number" + (" (a value beyond 1.8e308 reads as inf)" if math.isinf(value) else ""))
        return value

    @field_validator("unit")
    @classmethod
    def _known_unit(cls, value: str | None) -> str | None:
        if value is not None and not known_unit(value):
            raise ValueError(f"unknown unit {value!r}; {UNITS_HELP}")
        return value

    @model_validator(mode="after")
    def _value_fits_unit(self) -> "Claimed":
        if self.comparator is not Comparator.attested and (self.value is None or self.unit is None):
            raise ValueError(f"comparator {self.comparator.value} needs a value and a unit")
        if isinstance(self.band, float) and self.unit not in RATE_UNITS and self.band >= 1:
            raise ValueError(f"band {self.band} must be a relative number below 1 (0.02 for 2%) for unit {self.unit}")
        if self.value is None:
            return self
        if self.unit in {"date", "decade"}:
            parse_period(str(self.value))
        elif isinstance(self.value, str):
            raise ValueError(f"value {self.value!r} is not a number (unit {self.unit})")
        return self


class Reading(Strict):
    """An alternative reading of an ambiguous claim (e.g. cumulative instead of annual)."""

    id: str
    label: str
    claimed: Claimed | None = None  # overrides the claim's stated value, period or comparator
    evidence: list[Evidence] = Field(default_factory=list)


class Part(Strict):
    """One part of a compound claim ("X overtook A and B"), with its own claimed value and evidence."""

    id: str = Field(pattern=r"^[a-z0-9][a-z0-9-]*$")
    statement: str  # the part restated plainly ("Germany overtook Japan")
    claimed: Claimed
    evidence: list[Evidence] = Field(default_factory=list)
    reason: str | None = None  # a part without evidence: why no public evidence checks it (it is set aside)
    public_series: NotBlank | None = None  # or the public series that would check it, which this copy does not hold

    @model_validator(mode="after")
    def _evidence_or_reason(self) -> "Part":
        if not self.evidence and not self.reason and not self.public_series:
            raise ValueError(f"part {self.id} needs 'evidence', or a 'reason' why no public evidence checks it, "
                             "or 'public_series'")
        return self


class Claim(Strict):
    """One checkable (or explicitly uncheckable) statement of the article."""

    id: str = Field(pattern=r"^[a-z0-9][a-z0-9-]*$")
    quote: NotBlank = Field(min_length=1)
    kind: Kind
    family: str = "other"  # the check notebook that verifies it
    statement: NotBlank  # the claim restated plainly, as the verdict tables show it
    claimed: Claimed | None = None
    reading: str = "as stated"  # label of the stated reading
    evidence: list[Evidence] = Field(default_factory=list)
    readings: list[Reading] = Field(default_factory=list)
    reason: str | None = None  # why it cannot be checked, or why no evidence exists
    parts: list[Part] = Field(default_factory=list)  # a compound claim: judged together, each part on its own evidence
    draft: str | list[str] | None = None  # `claimcheck draft`'s notes on what it guessed, for a reviewer
    according_to: str | None = None  # the source the article names ("according to the World Bank"): its evidence decides
    public_series: NotBlank | None = None  # the public series that would check it, which this copy does not hold (not-held)

    @model_validator(mode="after")
    def _checkable_or_reasoned(self) -> "Claim":
        uncheckable = self.kind in {Kind.forecast, Kind.opinion}
        reading_ids = [r.id for r in self.readings]
        duplicated = sorted({i for i in reading_ids if reading_ids.count(i) > 1})
        if duplicated:
            raise ValueError(f"reading ids must be unique ({', '.join(duplicated)} given twice)")
        if self.parts:
            if len(self.parts) < 2:
                raise ValueError("'parts' needs at least two parts (a single part is a plain claim)")
            if self.claimed is not None or self.evidence or self.readings:
                raise ValueError("a claim with 'parts' has its claimed values and evidence in the parts, not beside them")
            ids = [part.id for part in self.parts]
            if len(set(ids)) < len(ids):
                raise ValueError(f"part ids must be unique (got {', '.join(ids)})")
            if uncheckable:
                raise ValueError(f"a {self.kind.value} cannot have 'parts'")
            return self
        if uncheckable and not self.reason:
            raise ValueError(f"a {self.kind.value} needs a 'reason' saying why it cannot be checked")
        decisive = [e for e in self.evidence if e.role == "decisive"]
        if not uncheckable and not decisive and not self.reason and not self.public_series:
            raise ValueError("a claim without decisive evidence needs a 'reason' saying why none exists, or "
                             "'public_series' naming the public series that would check it")
        if decisive and self.claimed is None:
            raise ValueError("a claim with decisive evidence needs 'claimed' (value, unit, comparator)")
        return self

    @property
    def checkable(self) -> bool:
        return self.kind not in {Kind.forecast, Kind.opinion}


class NotClaim(Strict):
    """A number in the text that is not a claim (a dateline, a policy name), with the reason."""

    text: NotBlank = Field(min_length=1)
    reason: NotBlank = Field(min_length=1)


class ClaimsFile(Strict):
    """The whole registry of one article."""

    article: str
    claims: list[dict[str, Any]]
    not_claims: list[NotClaim] = Field(default_factory=list)


class ClaimsError(ValueError):
    """A registry that does not validate; ``problems`` holds one line per problem."""

    def __init__(self, problems: list[str]):
        self.problems = problems
        super().__init__("\n".join(problems))


def _field_path(loc: tuple) -> str:
    parts = [str(p) for p in loc if not (isinstance(p, str) and p in {"dataset", "document", "internal"})]
    return ".".join(parts) or "(claim)"


def known_families() -> set[str]:
    """The check families: one per check notebook (every notebook but the claims list and the scorecard), and ``other``."""
    folders = {paths.PROJECT_ROOT / "notebooks", paths.notebooks_dir()}  # the suite's, and a folder set in its place
    notebooks = {p.stem for folder in folders for p in folder.glob("*.ipynb")} - {"claims", "scorecard"}
    return notebooks | {"other"}


def _nearest(name: str, known: set[str]) -> str:
    close = difflib.get_close_matches(name, sorted(known), n=1, cutoff=0.6)
    return f" (did you mean {close[0]!r}?)" if close else ""


def _claim_at(text: str, exc: yaml.YAMLError) -> str:
    """``claim 'id': `` for the claim whose lines hold a YAML error, when the file parses that far."""
    mark = getattr(exc, "problem_mark", None)
    try:
        root = compose_yaml(text)
    except yaml.YAMLError:
        return ""
    if mark is None or not isinstance(root, yaml.MappingNode):
        return ""
    for key, value in root.value:
        if key.value != "claims" or not isinstance(value, yaml.SequenceNode):
            continue
        for index, item in enumerate(value.value):
            if item.start_mark.line <= mark.line <= item.end_mark.line and isinstance(item, yaml.MappingNode):
                ids = [v.value for k, v in item.value if k.value == "id" and isinstance(v, yaml.ScalarNode)]
                return f"claim {ids[0]!r}: " if ids else f"claim #{index + 1}: "  # repr: an id never breaks the line
    return ""


def load_claims(path: Path, article_text: str, article_id: str | None = None) -> tuple[list[Claim], list[NotClaim]]:
    """Read and validate ``claims.yaml``; quotes and not-claims must occur in ``article_text``."""
    path = Path(path)
    where = str(path)
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        raise ClaimsError([f"{where}: not UTF-8 text (byte {exc.object[exc.start]:#04x} at offset {exc.start}); "
                           "save it as UTF-8"]) from None
    except OSError as exc:
        raise ClaimsError([f"{where}: cannot be read ({exc.strerror or exc})"]) from None
    try:
        raw = load_yaml(text)
    except yaml.YAMLError as exc:
        raise ClaimsError([f"{where}: {_claim_at(text, exc)}not valid YAML: {yaml_error_line(exc)}"]) from None
    try:
        registry = ClaimsFile.model_validate(raw)
    except ValidationError as exc:
        raise ClaimsError(
            [f"{where}: field '{_field_path(e['loc'])}': {e['msg']}" for e in exc.errors()]
        ) from None

    problems: list[str] = []
    if article_id is not None and registry.article != article_id:
        problems.append(f"{where}: field 'article': {registry.article!r} does not match the folder {article_id!r}")
    claims: list[Claim] = []
    seen: set[str] = set()
    families = known_families()
    for index, item in enumerate(registry.claims):
        claim_id = item.get("id") if isinstance(item, dict) else None
        label = f"claim {str(claim_id)!r}" if claim_id else f"claim #{index + 1} (no id)"  # repr: one line, whatever the id
        try:
            claim = Claim.model_validate(item)
        except ValidationError as exc:
            problems += [f"{where}: {label}: field '{_field_path(e['loc'])}': {e['msg']}" for e in exc.errors()]
            continue
        if claim.id in seen:
            problems.append(f"{where}: {label}: field 'id': duplicate id")
        seen.add(claim.id)
        if claim.family not in families:
            problems.append(f"{where}: {label}: field 'family': unknown family {claim.family!r}"
                            f"{_nearest(claim.family, families)}; known: {', '.join(sorted(families))}")
        if claim.quote not in article_text:
            problems.append(f"{where}: {label}: field 'quote': not found verbatim in the article text")
        claims.append(claim)
    for index, item in enumerate(registry.not_claims):
        if item.text not in article_text:
            problems.append(
                f"{where}: not_claims #{index + 1} {item.text!r}: field 'text': not found in the article text"
            )
    if problems:
        raise ClaimsError(problems)
    return claims, registry.not_claims
