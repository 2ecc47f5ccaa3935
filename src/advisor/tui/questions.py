"""The questionnaire's machinery: questions and steps as data, bounds, text to value and back.

No Textual here: the questions can be read, checked and tested without the terminal face.
Numeric bounds are never retyped: they come from the profile model's own constraints
(`Field(ge=..., gt=..., le=...)`), so the questionnaire cannot disagree with the profile.

Shares (0..1 in the profile) are asked as percentages (0..100) everywhere.
"""

from __future__ import annotations

import math
import types
import typing
from typing import TYPE_CHECKING, Any, Literal, NamedTuple

from pydantic import BaseModel
from pydantic.fields import FieldInfo

from advisor.core.profile.model import Profile
from advisor.core.text import clip, printable

if TYPE_CHECKING:
    from advisor.core.decision.model import Decision

Kind = Literal[
    "text",
    "number",
    "integer",
    "share",
    "choice",
    "bool",
    "api_model",
    "open_model",
    "gpu",
    "precision",
    "precisions",
]
NUMERIC_KINDS = frozenset({"number", "integer", "share"})
CATALOG_KINDS = frozenset({"api_model", "open_model", "gpu", "precision"})
PERCENT = 100.0  # a share of 0.3 is asked and shown as 30 (%)


class Bounds(NamedTuple):
    """The allowed range of a numeric answer, as the user types it (percent for shares)."""

    minimum: float | None
    maximum: float | None
    min_exclusive: bool = False
    max_exclusive: bool = False

    def allows(self, x: float) -> bool:
        if self.minimum is not None and (
            x < self.minimum or (self.min_exclusive and x == self.minimum)
        ):
            return False
        return self.maximum is None or not (
            x > self.maximum or (self.max_exclusive and x == self.maximum)
        )

    def describe(self, kind: str) -> str:
        """'a whole number from 0 to 10,000,000', 'a percentage above 0, up to 100'."""
        what = {"integer": "a whole number", "share": "a percentage"}.get(kind, "a number")
        lo, hi = self.minimum, self.maximum
        if lo is not None and hi is not None:
            if self.min_exclusive:
                return f"{what} above {plain(lo)}, up to {plain(hi)}"
            return f"{what} from {plain(lo)} to {plain(hi)}"
        if lo is not None:
            return f"{what} {'above' if self.min_exclusive else 'of at least'} {plain(lo)}"
        if hi is not None:
            return f"{what} of at most {plain(hi)}"
        return what

    def brief(self, kind: str) -> str:
        """The range in few words, for an empty field's hint at 80 columns: '0.01 to 10
        billion', 'whole, 0 to 10 million', 'over 0, up to 600,000', '0 to 100%'."""
        lo, hi = self.minimum, self.maximum
        whole = "whole, " if kind == "integer" else ""
        unit = "%" if kind == "share" else ""
        if lo is not None and hi is not None:
            if self.min_exclusive:
                return f"{whole}over {short(lo)}, up to {short(hi)}{unit}"
            return f"{whole}{short(lo)} to {short(hi)}{unit}"
        if lo is not None:
            return f"{whole}{'over' if self.min_exclusive else 'at least'} {short(lo)}{unit}"
        if hi is not None:
            return f"{whole}at most {short(hi)}{unit}"
        return "a whole number" if kind == "integer" else "a number"


class Question(NamedTuple):
    section: str  # a Profile section: "workload", "api", ...; "" for the profile's own fields
    key: str  # the field in that section
    label: str  # plain words, for a room with finance, legal and product in it
    why: str  # one line from the article: why this answer matters
    kind: Kind
    unit: str = ""
    advanced: bool = False
    choices: tuple[tuple[str, str], ...] = ()  # (value, plain label) for kind "choice"
    blank: str = "Select"  # what an optional choice left empty means

    @property
    def name(self) -> str:
        """The dotted name used in the JSON and the profile file: 'workload.requests_per_day',
        'name' for the profile's own fields."""
        return f"{self.section}.{self.key}" if self.section else self.key

    @property
    def field(self) -> FieldInfo:
        return section_model(self.section).model_fields[self.key]

    @property
    def optional(self) -> bool:
        """Left empty, the catalog or policy default applies (the profile field takes None)."""
        return _allows_none(self.field.annotation)

    @property
    def bounds(self) -> Bounds:
        """Derived from the profile model's constraints; shares scaled to percent."""
        lo = hi = None
        lo_ex = hi_ex = False
        for item in field_metadata(self.field):
            if getattr(item, "ge", None) is not None:
                lo, lo_ex = float(item.ge), False
            if getattr(item, "gt", None) is not None:
                lo, lo_ex = float(item.gt), True
            if getattr(item, "le", None) is not None:
                hi, hi_ex = float(item.le), False
            if getattr(item, "lt", None) is not None:
                hi, hi_ex = float(item.lt), True
        if self.kind == "share":
            lo = None if lo is None else lo * PERCENT
            hi = None if hi is None else hi * PERCENT
        return Bounds(lo, hi, lo_ex, hi_ex)

    def allowed_values(self) -> tuple[str, ...]:
        """For choice and precision questions: the values the profile's Literal allows."""
        return literal_values(self.field.annotation)


class Step(NamedTuple):
    title: str
    intro: str
    questions: tuple[Question, ...]

    @property
    def advanced(self) -> bool:
        return all(q.advanced for q in self.questions)


# -- helpers on the profile model ---------------------------------------------------------------


def section_model(section: str) -> type[BaseModel]:
    """The pydantic model class of one profile section ('' : the profile itself)."""
    if not section:
        return Profile
    annotation = Profile.model_fields[section].annotation
    assert isinstance(annotation, type) and issubclass(annotation, BaseModel)
    return annotation


def _union_args(annotation: Any) -> tuple[Any, ...]:
    if typing.get_origin(annotation) in (typing.Union, types.UnionType):
        return typing.get_args(annotation)
    return (annotation,)


def _allows_none(annotation: Any) -> bool:
    return any(arg is type(None) for arg in _union_args(annotation))


def field_metadata(field: FieldInfo) -> list[Any]:
    """Constraint objects of a field, also when they sit inside `Annotated[...] | None`."""
    found = list(field.metadata)
    for arg in _union_args(field.annotation):
        for meta in getattr(arg, "__metadata__", ()):
            found.extend(meta.metadata if isinstance(meta, FieldInfo) else [meta])
    return found


def literal_values(annotation: Any) -> tuple[str, ...]:
    for arg in _union_args(annotation):
        if typing.get_origin(arg) is Literal:
            return tuple(str(v) for v in typing.get_args(arg))
    return ()


def plain(x: float) -> str:
    """A number as people write it: 10,000,000 / 0.01 / 2.5."""
    if x.is_integer():
        return f"{int(x):,}"
    return f"{x:,.6g}" if abs(x) >= 1000 else repr(x)


def short(x: float) -> str:
    """A bound in few characters: 10 billion, 10 million, 600,000, 0.01."""
    for size, word in ((1e9, "billion"), (1e6, "million")):
        if abs(x) >= size and (x / size).is_integer():
            return f"{x / size:g} {word}"
    return plain(x)


def owner(profile: Any, question: Question) -> Any:
    """The model that holds a question's answer: a section of the profile, or the profile."""
    return getattr(profile, question.section) if question.section else profile


def answer_of(profile: Any, question: Question) -> Any:
    return getattr(owner(profile, question), question.key)


# -- the answers as text, and back ----------------------------------------------------------------


def to_text(question: Question, value: Any) -> str:
    """A profile value as it appears in the input box ('' for None)."""
    if value is None:
        return ""
    if question.kind == "text":  # a name from a file: shown escaped, never obeyed
        return printable(str(value))
    if question.kind == "share":
        value = round(float(value) * PERCENT, 9)
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    return str(value)


def from_text(question: Question, text: str) -> Any:
    """The input box's text as a profile value: None when empty (optional fields only).

    Raises ValueError for text that is not a number of the right kind.
    """
    if question.kind == "text":  # a name: as typed, an empty one is the default name
        return text.strip() or str(question.field.default)
    text = text.strip()
    if not text:
        if question.optional:
            return None
        raise ValueError("an answer is needed")
    if question.kind == "integer":
        return int(text)
    value = float(text)
    if math.isnan(value) or math.isinf(value):
        raise ValueError("not a number")
    return value / PERCENT if question.kind == "share" else value


PRECISION_SETS = (
    ("fp16,fp8", "FP16 or FP8, whichever costs less (FP8 where the GPU has it)"),
    ("fp16", "FP16 only (full precision)"),
    ("fp8", "FP8 only (newer GPUs)"),
    ("fp16,fp8,int4", "also INT4 (smallest, with a quality cost)"),
)


def precisions_value(choice: str | None) -> list[str] | None:
    """A precisions question's choice as the profile's list (None: the catalog's)."""
    return None if not choice else choice.split(",")


def precisions_choice(value: list[str] | None) -> str | None:
    return None if value is None else ",".join(value)


def same_value(a: Any, b: Any) -> bool:
    """The answer did not change (floats compared with a tolerance: 30% is 0.3)."""
    numbers = (int, float)
    if (
        isinstance(a, numbers)
        and isinstance(b, numbers)
        and not isinstance(a, bool)
        and not isinstance(b, bool)
    ):  # a default of 30 (int) in a float field is the answer 30.0
        return math.isclose(a, b, rel_tol=1e-12, abs_tol=1e-15)
    return bool(a == b) and type(a) is type(b)


# -- catalog choices ------------------------------------------------------------------------------


# -- what an empty optional answer means -----------------------------------------------------------


def _shown(question: Question, value: Any, *, unit: bool = True) -> str:
    """A value in the units the question is asked in: 2.43 / 40% / 4,000."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        return str(value)
    if question.kind == "share":
        return f"{float(value) * PERCENT:.3g}%"
    x = float(value)
    text = f"{x:,.0f}" if abs(x) >= 100 else f"{x:,.4g}"
    return f"{text} {question.unit}" if question.unit and unit else text


HINT_MAX = 32  # characters: the narrowest number field at 80 columns shows 32


def _short(x: float) -> str:
    """14,571 -> 14.6k; 950 -> 950."""
    return f"{x / 1000:.1f}k" if x >= 1000 else f"{x:,.0f}"


def empty_hint(question: Question, decision: Decision | None) -> str:
    """The placeholder of an empty input: the value the decision uses instead, and its source,
    e.g. "catalog: 2.43 as of 2026-02-01" (the unit is shown beside the box). At most
    HINT_MAX characters, so the whole hint shows at 80 columns."""
    return clip(_empty_hint(question, decision), HINT_MAX)


def _empty_hint(question: Question, decision: Decision | None) -> str:
    if not question.optional:
        return f"needed: {question.bounds.brief(question.kind)}"
    if decision is None:
        return "empty: catalog or default value"
    sh = decision.self_host
    if question.name == "api.monthly_spend":
        return "not known: leave empty"
    if question.name == "self_host.gpus":
        return f"smallest that fits: {sh.gpus_per_replica}"
    if question.name == "self_host.replicas":
        return f"sized for the peak: {sh.replicas}"
    if question.name == "self_host.utilization":
        return f"derived from traffic: {_shown(question, sh.utilization)}"
    if question.name == "self_host.throughput_tokens_per_s":
        t = sh.throughput
        if t.prefill and t.decode:
            what = "preset" if t.mode == "measured" else "estimate"
            return f"{what} {_short(t.prefill)} in, {_short(t.decode)} out"
        return "catalog preset"
    used = {a.name: a for a in decision.assumptions}
    item = used.get(question.name)
    if item is not None and item.origin != "profile":
        if question.name == "traffic.peak_to_average":
            given = used.get("traffic.variability")
            variability = given.value if given is not None else "this"
            shown = _shown(question, item.value, unit=False)
            return f"{variability} traffic: {shown}"
        text = f"{item.origin or 'default'}: {_shown(question, item.value, unit=False)}"
        return text + (f" as of {item.as_of.isoformat()}" if item.as_of else "")
    return "empty: catalog or default value"
