"""The spaCy components: typed spans with their normalised values, in text order, set once per key."""
from pipeline.nlp import annotate_one, spans


def test_components_write_every_span_in_order_and_leave_absent_keys_unset():
    doc = annotate_one("Led by Abby Thomas - Assistant Director. We spent £1.2m in 2023/24 and £30,000 by March 2025, "
                       "reaching 45% against a target of at least 50%.", "2024-25")
    assert [s._.value.amount for s in spans(doc, "money")] == [1_200_000, 30_000]
    assert [s._.value for s in spans(doc, "fy")] == ["2023-24"]
    assert [s._.value for s in spans(doc, "percent")] == [45.0, 50.0]
    assert [s._.value for s in spans(doc, "date")] == ["2025-03"]
    assert [s.text for s in spans(doc, "person")] == ["Abby Thomas"] and [s._.value for s in spans(doc, "role")] == ["Assistant Director"]
    assert [s.label_ for s in spans(doc, "target")] == ["bound"]
    assert "money" not in annotate_one("No amounts here.").spans
