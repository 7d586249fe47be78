"""What every worker process needs before its first document, loaded once.

The batch's forkserver imports this module, so spaCy, the extractors, the
council register and every lazily compiled pattern are ready in the server
and each worker is a fork of it: starting (or replacing) a worker costs a
fork, not a second of imports and loading.  ``warm_up`` runs one small plan
through the whole pipeline, which is the only sure way to fill every cache.
"""
from __future__ import annotations

import gc

from pipeline.extract import extract_document
from pipeline.nlp import build_nlp
from pipeline.readers.text import read_text
from pipeline.version import rules_version

GC_YOUNG_THRESHOLD = 10_000  # allocations between collections of the youngest generation (Python's default: 700)

_SAMPLE = (b"Example Borough Council\nService Plan 2024/25\n\nBudget\n\n"
           b"Service\tBudget 2024/25 \xc2\xa3000\nWaste collection\t1,200\n\n"
           b"Objectives\n\n\xe2\x80\xa2 Increase recycling to 50% by March 2025\n"
           b"Led by Jane Smith - Head of Environmental Services\n")


def warm_up() -> None:
    """Read and extract a small plan in memory, build the spaCy pipeline, and hash the rules' sources once."""
    extract_document(read_text("warm-up.txt", _SAMPLE))
    build_nlp()  # the sample may not ask for any block's annotations
    rules_version()


warm_up()
# What is loaded now lives as long as the process: out of the collector's sight, a full collection walks only
# what documents made (it walked spaCy's and the register's objects too, 50 ms a time), and forked workers
# keep those pages shared instead of touching them.
gc.freeze()
# A document makes tens of thousands of short-lived objects, nearly all freed by reference counting; collecting the
# youngest generation every 700 allocations ran 320 collections over the 600-plan bench batch (48 ms), every
# 10,000 about 30 (12 ms).  Cyclic garbage waits a little longer to be freed; memory is unchanged.
gc.set_threshold(GC_YOUNG_THRESHOLD, *gc.get_threshold()[1:])
