"""Extractors run in the order their declared requirements imply, whatever the registration order."""
import pytest

from extractors import EXTRACTORS, Extractor, ExtractorOrderError, load_builtin, run_order
from pipeline.version import rules_version


def _ex(name, *requires):
    return Extractor(name, lambda doc, ctx: [], tuple(requires))


def test_builtin_order_puts_requirements_first():
    order = [ex.name for ex in run_order(load_builtin())]
    for ex in load_builtin().values():
        for needed in ex.requires:
            assert order.index(needed) < order.index(ex.name), (needed, ex.name)


def test_user_extractor_registered_first_still_runs_after_what_it_requires():
    registry = {"mine": _ex("mine", "budgets", "services"), "budgets": _ex("budgets", "services"), "services": _ex("services")}
    assert [ex.name for ex in run_order(registry)] == ["services", "budgets", "mine"]


def test_missing_requirement_and_cycle_are_errors():
    with pytest.raises(ExtractorOrderError, match="requires nothing_here"):
        run_order({"a": _ex("a", "nothing_here")})
    with pytest.raises(ExtractorOrderError, match="cycle"):
        run_order({"a": _ex("a", "b"), "b": _ex("b", "a")})


def test_rules_version_changes_when_an_extractor_version_changes():
    before = rules_version()
    budgets = EXTRACTORS["budgets"]
    try:
        EXTRACTORS["budgets"] = Extractor(budgets.name, budgets.fn, budgets.requires, budgets.version + ".test")
        assert rules_version() != before
    finally:
        EXTRACTORS["budgets"] = budgets
    assert rules_version() == before


def test_workers_import_the_modules_of_extractors_a_user_registered():
    from pipeline.workers import user_extractor_modules

    before = dict(EXTRACTORS)
    try:
        def mine(doc, ctx):
            return []
        mine.__module__ = "my_council_rules"
        EXTRACTORS["mine"] = Extractor("mine", mine, ("metadata",))
        assert "my_council_rules" in user_extractor_modules()
        assert not any(m.startswith("extractors.") for m in user_extractor_modules())
    finally:
        EXTRACTORS.clear()
        EXTRACTORS.update(before)
