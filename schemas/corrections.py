"""An analyst's correction to the extracted records, as a pydantic model (the ``corrections`` table derives from it).

A correction names its record by what survives re-extraction: the
document's content hash, the record type and the record's natural key
(``Record.natural_key``: for a budget its scope, year, measure and phase),
plus ``occurrence`` when a document holds several records with the same key.
Never a row id, which re-extraction renumbers.
"""
from __future__ import annotations

import hashlib
import json
from typing import Any, Literal, Optional

from pydantic import BaseModel, Field

# delete: the record is wrong (not in the source, or not a record at all); set: one field is wrong;
# add: the extraction missed a record
Action = Literal["delete", "set", "add"]


class Correction(BaseModel):
    id: str = ""  # a hash of what the correction changes (not who, why or when): loading it twice adds nothing
    document_sha256: str
    source: Optional[str] = None  # the file name, for people reading the table
    record_type: str
    record_key: Optional[dict[str, Any]] = None  # natural-key values of the corrected record (None for add)
    occurrence: int = Field(default=0, ge=0)  # which of the document's records with this key, in document order
    action: Action
    field: Optional[str] = None  # set: the field corrected
    value: Any = None  # set: the right value; add: the missing record's fields
    author: str
    reason: str
    created_at: str  # ISO 8601, UTC

    def model_post_init(self, _context: Any) -> None:
        if not self.id:
            self.id = self.content_id()

    def content_id(self) -> str:
        what = [self.document_sha256, self.record_type, self.record_key, self.occurrence, self.action, self.field, self.value]
        return hashlib.sha256(json.dumps(what, sort_keys=True, default=str).encode()).hexdigest()[:20]
