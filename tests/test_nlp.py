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


def test_a_partial_annotation_has_the_named_spans_and_the_sentences_of_the_whole():
    """Extractors that read a few span groups run only those components: the spans and sentences must be the whole pipeline's."""
    from pipeline.nlp import annotate_one, annotate_partly

    text = ("Respond to 95% of calls within 5 working days. Savings of £1.2m in 2023/24 (no more than 3%). "
            "Led by Abby Thomas - Assistant Director. e.g. £30,000 by March 2025!")
    whole, part = annotate_one(text, "2025/26"), annotate_partly(text, ("cp_target_phrases",), "2025/26")
    assert [(s.start, s.end, s.label_) for s in part.spans["target"]] == [(s.start, s.end, s.label_) for s in whole.spans["target"]]
    assert [(s.start_char, s.end_char) for s in part.sents] == [(s.start_char, s.end_char) for s in whole.sents]
    assert "money" not in part.spans and "money" in whole.spans


def test_annotations_hand_out_a_made_doc_and_keep_no_partial_one():
    from pipeline.nlp import Annotations

    ann = Annotations({0: "We save money. More text.", 1: "Within 5 days."}, None)
    part = ann.partial(0)
    assert [s.text for s in part.sents] == ["We save money.", "More text."] and not ann.made(0)
    whole = ann[1]
    assert ann.made(1) and ann.partial(1, ("cp_target_phrases",)) is whole
    assert ann.partial(7) is None  # a block that is not annotated


def test_a_text_without_a_pattern_word_before_a_figure_has_no_target_spans():
    """The targets extractor skips tokenising such a block: the Matcher could not find a span in it."""
    from pipeline.nlp import annotate_one, may_hold_target_phrase

    for text in ("Calls answered: 95%", "95% of calls in five days", "Budget 2023/24: £1.2m"):
        assert not may_hold_target_phrase(text)
        assert spans(annotate_one(text), "target") == []
    assert may_hold_target_phrase("within 5 working days") and spans(annotate_one("within 5 working days"), "target")


def test_budgets_read_the_amounts_the_money_component_keeps_from_a_partial_doc():
    """``_money_and_sentences`` on a block nobody annotated gives the whole annotation's amounts and sentences."""
    from extractors.budgets import _money_and_sentences
    from pipeline.document import Block, Document
    from pipeline.nlp import Annotations

    text = "We will save £1.2m in 2023/24. A further (£30,000) and half a million pounds follow! Net spend £5k."
    doc = Document(source="x.txt", text=text, blocks=[Block(text, 0, len(text))])
    doc.nlp = Annotations({0: text}, None)
    part_doc, part_money = _money_and_sentences(doc, doc.blocks[0])
    assert not doc.nlp.made(0)
    whole_doc = doc.nlp[0]
    _, whole_money = _money_and_sentences(doc, doc.blocks[0])
    assert part_money == whole_money and len(whole_money) == 4
    assert [(s.start_char, s.end_char) for s in part_doc.sents] == [(s.start_char, s.end_char) for s in whole_doc.sents]
