"""councilplans: UK council service plans as a relational dataset, with provenance on every record.

::

    import councilplans as cp

    cp.extract(["corpus/text", "corpus/pdf"], db="output/councilplans.db", manifest="corpus/manifest.csv")
    budgets = cp.records("output/councilplans.db", type="budget")     # a pandas DataFrame, corrections applied
    table = cp.compare("output/councilplans.db", by="category").table
    site = cp.review("output/councilplans.db", out="output/review")     # open site.index in a browser
    cp.correct("corrections.json", db="output/councilplans.db")

Every error the library raises on purpose is a ``cp.CouncilplansError``.
"""
from pipeline import __version__
from pipeline.api import (
    CorrectionLoad,
    benchmark,
    compare,
    correct,
    corrections,
    documents,
    evaluate,
    export,
    extract,
    records,
    review,
    stats,
    write_datasette_metadata,
)
from pipeline.councils import AmbiguousCouncil
from pipeline.errors import CorrectionError, CouncilplansError, InputError, StoreNotFound, StoreUnreachable
from pipeline.ingest import ManifestError
from pipeline.oflog.data import OflogDataError

__all__ = [
    "__version__", "extract", "records", "documents", "stats", "export", "compare", "benchmark", "evaluate", "review",
    "correct", "corrections", "write_datasette_metadata", "CorrectionLoad",
    "CouncilplansError", "StoreNotFound", "StoreUnreachable", "InputError", "CorrectionError", "ManifestError",
    "OflogDataError", "AmbiguousCouncil",
]
