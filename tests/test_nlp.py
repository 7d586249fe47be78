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


def test_target_phrases_skip_only_texts_the_matcher_finds_nothing_in():
    """The check before the Matcher (a pattern word right before a figure) never loses a match it would find."""
    import spacy
    from spacy.matcher import Matcher

    from pipeline.nlp import TARGET_PATTERNS, build_nlp

    nlp = build_nlp()
    matcher = Matcher(nlp.vocab)
    for kind, patterns in TARGET_PATTERNS.items():
        matcher.add(kind, patterns)
    texts = ["Respond within 5 working days.", "WITHIN 10 DAYS", "no more than 684kg per household",
             "at least£5 and under  3 hours", "Achieve 40% by 2025", "reach\n12%", "In 2024 we did well.",
             "Calls answered: 95%", "We will maintain £1,200 reserves.", "No figures here at all."]
    for text in texts:
        doc = annotate_one(text)
        bare = nlp.make_doc(text)
        expected = [(bare.vocab.strings[m], s, e) for m, s, e in matcher(bare)]
        kept = spacy.util.filter_spans([bare[s:e] for _, s, e in expected])
        assert [(s.start, s.end) for s in spans(doc, "target")] == [(s.start, s.end) for s in kept], text
    assert spans(annotate_one("Calls answered: 95%"), "target") == []


def test_a_block_past_spacys_million_characters_is_annotated():
    """A plan flattened into one paragraph: spaCy's cap is for the parser and NER, which this pipeline has not."""
    from pipeline.nlp import annotate_one

    text = "The target is to reach 95% by March 2026. " * 25_000  # 1.05 million characters
    doc = annotate_one(text, "2025/26")
    assert len(doc.spans["target"]) == 25_000
