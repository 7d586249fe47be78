"""The council register: every name variant resolves, reorganisations resolve by year."""
import csv
from collections import defaultdict
from importlib import resources

import pytest

from pipeline.councils import AmbiguousCouncil, register


def lookup_names():
    with resources.files("pipeline.data").joinpath("lookup_name_to_registry.csv").open(encoding="utf-8-sig") as fh:
        codes = defaultdict(set)
        for row in csv.DictReader(fh):
            codes[row["la-name"]].add(row["local-authority-code"])
    return codes


def test_every_lookup_name_resolves_to_its_code_or_is_reported_ambiguous():
    reg = register()
    failures = []
    for name, codes in lookup_names().items():
        try:
            council = reg.resolve(name)
        except AmbiguousCouncil as exc:
            if len(codes) == 1 or {c.code for c in exc.candidates} != codes:
                failures.append((name, codes, "ambiguous"))
            continue
        if len(codes) > 1 or council is None or council.code not in codes:
            failures.append((name, codes, council and council.code))
    assert not failures, failures[:10]


def test_the_file_maps_some_names_twice_and_those_are_ambiguous_without_a_year():
    twice = {n: c for n, c in lookup_names().items() if len(c) > 1}
    assert "North Yorkshire" in twice and "Somerset" in twice
    with pytest.raises(AmbiguousCouncil) as err:
        register().resolve("North Yorkshire")
    assert {c.code for c in err.value.candidates} == {"NYK", "NYE"}


@pytest.mark.parametrize("name,year,code,kind", [
    ("North Yorkshire", "2022-23", "NYK", "County"),
    ("North Yorkshire", "2023-24", "NYE", "Unitary authority"),
    ("North Yorkshire County Council", "2019-20", "NYK", "County"),
    ("Somerset", "2022-23", "SOM", "County"),
    ("Somerset", "2024-25", "SMT", "Unitary authority"),
])
def test_reorganised_councils_resolve_by_the_plans_year(name, year, code, kind):
    council = register().resolve(name, year)
    assert council.code == code and council.type_name == kind


def test_abolished_district_resolves_before_and_not_after():
    reg = register()
    craven = reg.resolve("Craven", "2020-21")
    assert craven.code == "CRA" and craven.end == "2023-04-01" and not craven.active_in("2023-24")


def test_gss_codes_current_and_former_resolve():
    reg = register()
    assert reg.resolve("E07000089").code == "HAT"  # Hart
    assert reg.resolve("E10000016").code == "KEN"  # Kent
    former = next(r for r in csv.DictReader(resources.files("pipeline.data").joinpath("uk_local_authorities.csv").open(encoding="utf-8"))
                  if r["former-gss-codes"])
    assert reg.resolve(former["former-gss-codes"].split(",")[0]).code == former["local-authority-code"]


def test_attribution_ships_with_the_data():
    text = resources.files("pipeline.data").joinpath("ATTRIBUTION.md").read_text(encoding="utf-8")
    assert "mySociety" in text and "CC BY 4.0" in text


def test_store_documents_carry_register_code_type_and_region(tmp_path):
    from pipeline.run import run_batch
    from pipeline.store import Store

    from conftest import CORPUS

    run_batch([CORPUS / "text" / "hart_2024-25_community-services.txt"], db=str(tmp_path / "s.db"), manifest=CORPUS / "manifest.csv")
    with Store(str(tmp_path / "s.db")) as store:
        doc = store.documents()[0]
    assert (doc["council_code"], doc["register_code"], doc["authority_type"], doc["region"]) == ("E07000089", "HAT", "Non-metropolitan district", "South East")


def test_a_document_named_but_not_coded_gets_its_gss_code_from_the_register():
    from pipeline.store import _register_facts
    from schemas import DocumentMeta

    facts = _register_facts(DocumentMeta(source="x.txt", council="North Yorkshire", financial_year="2024-25"))
    assert (facts["register_code"], facts["council_code"], facts["authority_type"]) == ("NYE", "E06000065", "Unitary authority")
    before = _register_facts(DocumentMeta(source="x.txt", council="North Yorkshire", financial_year="2020-21"))
    assert (before["register_code"], before["council_code"]) == ("NYK", "E10000023")


def test_the_name_scan_finds_what_the_name_pattern_finds():
    """``NameIndex.find`` checks the word boundary itself (after a character-set scan): it must agree with \\b."""
    import re

    from pipeline.councils import register

    reg = register()
    index = reg.name_index
    names = sorted({n for names in index.by_prefix.values() for n in names}, key=len, reverse=True)[:200]
    pattern = re.compile(r"\b(?:" + "|".join(re.escape(n) for n in names) + r")\b")
    sample = names[:40]
    text = " ".join(f"{k}{n}" if k % 3 == 0 else f"x{n} _{n} é{n} ({n}) {n}s {n}" for k, n in enumerate(sample))
    found = [(s, e, n) for s, e, n in index.find(text) if n in set(names)]
    expected = [(m.start(), m.end(), m.group()) for m in pattern.finditer(text)]
    assert found == expected and found
