"""Service names → MHCLG revenue outturn service lines, with confidence and user overrides."""
import pytest

from pipeline.taxonomy import UNCLASSIFIED, Taxonomy, categories, classify


@pytest.mark.parametrize("name,category", [
    ("Environmental Health", "environmental_and_regulatory"),
    ("Waste & Recycling", "environmental_and_regulatory"),
    ("Development Control", "planning_and_development"),
    ("Building Control", "planning_and_development"),
    ("Housing Solutions", "housing"),
    ("Libraries & Archives", "cultural_and_related"),
    ("Leisure Centres", "cultural_and_related"),
    ("Highways Maintenance", "highways_and_transport"),
    ("Parking Services", "highways_and_transport"),
    ("Revenues", "central_services"),
    ("Elections & Land Charges", "central_services"),
    ("Adult Social Care", "adult_social_care"),
    ("Children's Services", "childrens_social_care"),
    ("Looked After Children", "childrens_social_care"),
    ("Schools and Early Years", "education"),
    ("Public Health", "public_health"),
])
def test_names_map_to_service_lines(name, category):
    mapped = classify(name)
    assert mapped.category == category, mapped
    assert 0.5 <= mapped.confidence <= 1.0


def test_unknown_names_are_unclassified_with_zero_confidence():
    assert classify("Something Else Entirely").category == UNCLASSIFIED
    assert classify("").confidence == 0.0 and classify(None).category == UNCLASSIFIED


def test_a_name_spanning_two_lines_is_less_certain():
    clear, mixed = classify("Trading Standards"), classify("Revenues and Housing Benefits")
    assert clear.confidence > mixed.confidence


def test_every_category_is_a_revenue_outturn_line():
    names = {c.name for c in categories()}
    assert {"environmental_and_regulatory", "planning_and_development", "housing", "cultural_and_related",
            "highways_and_transport", "central_services", "adult_social_care", "childrens_social_care",
            "education", "public_health"} <= names


def test_user_csv_overrides_by_name_and_pattern(tmp_path):
    path = tmp_path / "mine.csv"
    path.write_text("name,pattern,category\nContract Services,,environmental_and_regulatory\n,^Kent Sport,cultural_and_related\n", encoding="utf-8")
    tax = Taxonomy(path)
    assert classify("Contract Services").category == UNCLASSIFIED
    mapped = tax.classify("contract services")
    assert (mapped.category, mapped.confidence) == ("environmental_and_regulatory", 1.0)
    assert tax.classify("Kent Sport Development").category == "cultural_and_related"
    assert tax.classify("Revenues").category == "central_services"  # everything else falls through to the keywords


def test_bad_override_file_says_what_is_wrong(tmp_path):
    path = tmp_path / "bad.csv"
    path.write_text("service,line\nA,B\n", encoding="utf-8")
    with pytest.raises(ValueError, match="needs a 'category' column"):
        Taxonomy(path)
