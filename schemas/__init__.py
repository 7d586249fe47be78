"""The record contract (../shared/spec/RECORDS.md) as pydantic models.

Everything else — store tables, exports, evaluation — derives from these
classes, so a field is added in exactly one place.
"""
from schemas.records import (
    RECORD_TYPES,
    Budget,
    DocumentMeta,
    Objective,
    Performance,
    Provenance,
    Record,
    Risk,
    Service,
    Target,
    Workforce,
    record_from_dict,
)

__all__ = [
    "RECORD_TYPES", "Budget", "DocumentMeta", "Objective", "Performance", "Provenance",
    "Record", "Risk", "Service", "Target", "Workforce", "record_from_dict",
]
