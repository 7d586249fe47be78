"""One pydantic model per record type in RECORDS.md."""
from __future__ import annotations

from typing import Any, ClassVar, Literal, Optional

from pydantic import BaseModel, ConfigDict, Field

Measure = Literal[
    "gross_expenditure", "income", "net_budget", "staffing", "savings",
    "pressures", "capital", "other",
]
Comparator = Literal["<", "<=", "=", ">=", ">"]
Unit = Literal["percent", "days", "gbp", "number"]
Basis = Literal["employees", "fte", "volunteers", "sessional"]
# budget / revised / outturn / forecast / proposed: which kind of figure a budget is (RECORDS.md)
Phase = Literal["budget", "revised", "outturn", "forecast", "proposed"]


_FIELD_NAMES: dict[type, tuple[str, ...]] = {}  # Record.field_names, per class


class Provenance(BaseModel):
    """Where a record came from: enough to find the words again."""

    page: Optional[int] = None
    char_start: int
    char_end: int
    text: str


class Record(BaseModel):
    """Fields every record shares; subclasses add their own."""

    model_config = ConfigDict(extra="allow")
    type: ClassVar[str] = ""
    # the fields that identify a record for matching and display
    key_fields: ClassVar[tuple[str, ...]] = ()
    # what identifies a record within its document across re-extractions (corrections are keyed by it,
    # with the document's content hash): fields an analyst would name it by, never a figure they might correct
    natural_key: ClassVar[tuple[str, ...]] = ()

    source: str = ""
    provenance: Optional[Provenance] = None
    confidence: float = Field(default=1.0, ge=0, le=1)

    @classmethod
    def field_names(cls) -> list[str]:
        """Contract fields in declaration order (without source/provenance).

        Kept per class once asked: a class's fields are fixed once it is made,
        and the store asks for every record it saves.
        """
        names = _FIELD_NAMES.get(cls)
        if names is None:
            skip = {"source", "provenance", "confidence"}
            names = _FIELD_NAMES[cls] = tuple(n for n in cls.model_fields if n not in skip)
        return list(names)

    def to_jsonl_dict(self) -> dict[str, Any]:
        """The JSONL exchange form: type, source, fields, provenance."""
        out: dict[str, Any] = {"type": self.type, "source": self.source}
        for name in self.field_names():
            out[name] = getattr(self, name)
        for name, value in (self.model_extra or {}).items():
            out[name] = value
        out["provenance"] = self.provenance.model_dump() if self.provenance else None
        return out


class DocumentMeta(Record):
    type: ClassVar[str] = "document"
    council: Optional[str] = None
    council_code: Optional[str] = None
    title: Optional[str] = None
    financial_year: Optional[str] = None
    scope: Optional[str] = None
    # where council / year came from: "text", "manifest" or None
    council_from: Optional[str] = None
    year_from: Optional[str] = None


class Service(Record):
    type: ClassVar[str] = "service"
    key_fields = ("name",)
    natural_key = ("name",)
    name: str
    parent: Optional[str] = None
    lead: Optional[str] = None
    lead_role: Optional[str] = None


class Objective(Record):
    type: ClassVar[str] = "objective"
    key_fields = ("text",)
    natural_key = ("text",)
    text: str
    service: Optional[str] = None
    theme: Optional[str] = None
    due: Optional[str] = None
    ref: Optional[str] = None
    status: Optional[str] = None


class Budget(Record):
    type: ClassVar[str] = "budget"
    key_fields = ("scope", "financial_year", "amount_gbp")
    natural_key = ("scope", "financial_year", "measure", "phase")
    scope: Optional[str] = None
    measure: Measure = "other"
    financial_year: Optional[str] = None
    amount_gbp: float
    description: Optional[str] = None
    as_written: str = ""
    phase: Optional[Phase] = None


class Target(Record):
    type: ClassVar[str] = "target"
    key_fields = ("indicator", "value")
    natural_key = ("indicator", "financial_year")
    indicator: str
    target_text: Optional[str] = None
    comparator: Optional[Comparator] = None
    value: Optional[float] = None
    unit: Optional[Unit] = None
    info_only: bool = False
    financial_year: Optional[str] = None
    service: Optional[str] = None
    ref: Optional[str] = None


class Performance(Record):
    type: ClassVar[str] = "performance"
    key_fields = ("scope",)
    natural_key = ("scope", "as_at")
    scope: str
    green: Optional[int] = None
    amber: Optional[int] = None
    red: Optional[int] = None
    overall: Optional[str] = None
    as_at: Optional[str] = None


class Workforce(Record):
    type: ClassVar[str] = "workforce"
    key_fields = ("scope", "count")
    natural_key = ("scope", "basis", "as_at")
    scope: Optional[str] = None
    count: float
    basis: Basis = "employees"
    as_at: Optional[str] = None


class Risk(Record):
    type: ClassVar[str] = "risk"
    key_fields = ("description",)
    natural_key = ("scope", "description")
    scope: Optional[str] = None
    description: str
    amount_gbp: Optional[float] = None


RECORD_TYPES: dict[str, type[Record]] = {
    cls.type: cls
    for cls in (DocumentMeta, Service, Objective, Budget, Target, Performance, Workforce, Risk)
}


def record_from_dict(data: dict[str, Any]) -> Record:
    """Build a record from its JSONL form (gold files, exports)."""
    data = dict(data)
    cls = RECORD_TYPES[data.pop("type")]
    return cls.model_validate(data)
