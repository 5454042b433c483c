"""Quotations: mark pairing (pure text) and the detector on many news patterns (real model).

The sentence cases are this project's own, one per pattern the detector must handle
(attribution before/after/split, reporting verbs beyond "say", titles kept whole,
pronouns resolved, names and titles that are not quotes, broken marks).  The expected
speaker is a substring of the detected one, so ``the minister`` matches ``the
minister`` and ``Jane Smith`` matches ``Jane Smith``; a ``None`` cue or speaker means
"not checked" except where a test says otherwise.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from annotate.detect.nlp import load_model
from annotate.detect.pipeline import annotations_from_doc
from annotate.detect.quotemarks import find_quotes
from annotate.detect.quotes import detect_quotes
from annotate.edits import make_edit
from annotate.model import Annotations, Quote, QuoteKind, Span, quotations
from store.codec import edit_doc, edit_from_doc, item_doc

if TYPE_CHECKING:
    from spacy.language import Language

# content, kind, speaker (substring), cue, resolved name (substring)
Expected = tuple[str, str, str | None, str | None, str | None]


CASES: list[tuple[str, list[Expected]]] = [
    ("“We will win,” Smith said.", [("We will win,", "direct", "Smith", "said", None)]),
    (
        "“We will win,” said Jane Smith, the party leader.",
        [("We will win,", "direct", "Jane Smith", "said", None)],
    ),
    ("Smith said: “We will win.”", [("We will win.", "direct", "Smith", "said", None)]),
    (
        "The governor told reporters that “the plan is dead.”",
        [("the plan is dead.", "direct", "The governor", "told", None)],
    ),
    (
        "“The plan is dead,” the minister told reporters on Monday.",
        [("The plan is dead,", "direct", "the minister", "told", None)],
    ),
    (
        "Prime Minister John Key spoke on Monday. “It was a mistake,” he said, “and we regret it.”",
        [
            ("It was a mistake,", "direct", "he", "said", "John Key"),
            ("and we regret it.", "direct", "he", "said", "John Key"),
        ],
    ),
    (
        "Senator Maria Diaz spoke after the vote. “We are ready,” she said. “We have always been "
        "ready.”",
        [
            ("We are ready,", "direct", "she", "said", "Maria Diaz"),
            ("We have always been ready.", "direct", "she", "said", "Maria Diaz"),
        ],
    ),
    (
        "Ms. Lopez said: “The first part of the answer.\n\n“The second part of the answer.”",
        [
            (
                "The first part of the answer.\n\n“The second part of the answer.",
                "direct",
                "Lopez",
                "said",
                None,
            )
        ],
    ),
    (
        "“The talks failed,” according to a government spokesman.",
        [("The talks failed,", "direct", "spokesman", "according to", None)],
    ),
    (
        "The senator called the bill “a disgrace” and vowed to fight it.",
        [("a disgrace", "partial", "The senator", "called", None)],
    ),
    (
        "Critics warned of “catastrophic consequences” for the region.",
        [("catastrophic consequences", "partial", "Critics", "warned", None)],
    ),
    ("She joined the “Friends of the Earth” campaign in 2010.", []),
    ("The film “Star Wars” premiered in 1977.", []),
    ("Joaquin “El Chapo” Guzman was extradited to the United States.", []),
    (
        "“This quote never closes, he said.\n\nThe next paragraph is normal and “fine,” she said.",
        [
            ("This quote never closes, he said.", "direct", None, None, None),
            ("fine,", "partial", "she", "said", None),
        ],
    ),
    (
        "“We are ready to act, “Jones told reporters after the meeting.",
        [("We are ready to act,", "direct", "Jones", "told", None)],
    ),
    ('"It works," Brown said.', [("It works,", "direct", "Brown", "said", None)]),
    (
        "“He told me ‘never again,’ and I believed him,” Green said.",
        [("He told me ‘never again,’ and I believed him,", "direct", "Green", "said", None)],
    ),
    (
        "“There is no evidence,” the spokeswoman insisted.",
        [("There is no evidence,", "direct", "the spokeswoman", "insisted", None)],
    ),
    (
        "“Prices will fall,” Federal Reserve Chair Jerome Powell said.",
        [("Prices will fall,", "direct", "Federal Reserve Chair Jerome Powell", "said", None)],
    ),
    (
        "The ministry issued a statement on Friday. It described the report as “baseless”.",
        [("baseless", "partial", "It", "described", "ministry")],
    ),
    (
        "Residents gathered outside the town hall on Sunday. “We want answers,” they said.",
        [("We want answers,", "direct", "they", "said", "Residents")],
    ),
    (
        "Police chief Mark Evans spoke to reporters. “John Doe was not involved,” he said.",
        [("John Doe was not involved,", "direct", "he", "said", "Mark Evans")],
    ),
    (
        "The minister said the plan was ‘unworkable’.",
        [("unworkable", "partial", "The minister", "said", None)],
    ),
    (
        "Smith described the deal as “historic” and “long overdue.”",
        [
            ("historic", "partial", "Smith", "described", None),
            ("long overdue.", "partial", "Smith", "described", None),
        ],
    ),
    ("Police say suspect “acted alone”", [("acted alone", "partial", "Police", "say", None)]),
    (
        "The so-called “peace dividend” never arrived.",
        [("peace dividend", "partial", None, None, None)],
    ),
    ("“Why now?” asked the lawyer.", [("Why now?", "direct", "the lawyer", "asked", None)]),
    ("His message was clear: “We stay.”", [("We stay.", "direct", None, None, None)]),
    (
        "“First, we rebuild,” Mayor Ana Ruiz said.\n\n“Then we look at who was responsible.”",
        [
            ("First, we rebuild,", "direct", "Mayor Ana Ruiz", "said", None),
            ("Then we look at who was responsible.", "direct", "Mayor Ana Ruiz", "said", None),
        ],
    ),
    (
        "“Unclosed quote at the start of a paragraph.\n\nA normal paragraph follows here.",
        [("Unclosed quote at the start of a paragraph.", "direct", None, None, None)],
    ),
    (
        "Minister accuses rivals of “lying”\n\nThe minister spoke on Monday.",
        [("lying", "partial", "Minister", "accuses", None)],
    ),
    (
        "The students’ union said it was ‘deeply concerned’ by the decision.",
        [("deeply concerned", "partial", "union", "said", None)],
    ),
    (
        "“We will not negotiate under threat,” Foreign Minister Sergei Lavrov told a news "
        "conference in Moscow.",
        [("We will not negotiate under threat,", "direct", "Sergei Lavrov", "told", None)],
    ),
    (
        "The company denied the allegations. “These claims are false,” it said in a statement.",
        [("These claims are false,", "direct", "it", "said", "The company")],
    ),
    (
        "“The decision is final,” the court ruled, adding that “no appeal is possible.”",
        [
            ("The decision is final,", "direct", "the court", "ruled", None),
            ("no appeal is possible.", "direct", "the court", "adding", None),
        ],
    ),
    (
        "In a post on X, the president wrote: “We will rebuild every house.”",
        [("We will rebuild every house.", "direct", "the president", "wrote", None)],
    ),
    (
        "“It is a sad day for democracy,” opposition leader Raila Odinga tweeted.",
        [("It is a sad day for democracy,", "direct", "Raila Odinga", "tweeted", None)],
    ),
    (
        "Analysts said the move was “largely symbolic” and unlikely to change anything.",
        [("largely symbolic", "partial", "Analysts", "said", None)],
    ),
    (
        "“We’re not going anywhere,” one protester, who gave only her first name, Maria, said.",
        [("We’re not going anywhere,", "direct", "protester", "said", None)],
    ),
    (
        "The union’s leader, Paul Martin, said workers were “exhausted and angry.”",
        [("exhausted and angry.", "partial", "Paul Martin", "said", None)],
    ),
    ("“No,” she replied.", [("No,", "direct", "she", "replied", None)]),
    ("The report, titled “A Future Denied”, was published on Tuesday.", []),
    (
        "“We did nothing wrong,” said Smith, who heads the agency.",
        [("We did nothing wrong,", "direct", "Smith", "said", None)],
    ),
    (
        "Smith, 45, said: “I have never seen anything like it.”",
        [("I have never seen anything like it.", "direct", "Smith", "said", None)],
    ),
    (
        "According to Smith, “the numbers simply do not add up.”",
        [("the numbers simply do not add up.", "direct", "Smith", "According to", None)],
    ),
    ("“It is over,” Smith says.", [("It is over,", "direct", "Smith", "says", None)]),
    (
        "“We have always paid our taxes,” the company has said.",
        [("We have always paid our taxes,", "direct", "the company", "said", None)],
    ),
    (
        "Smith later told the BBC: “We were never consulted.”",
        [("We were never consulted.", "direct", "Smith", "told", None)],
    ),
    (
        "“It was the right call,” he said of the decision. Smith had been criticised for weeks.",
        [("It was the right call,", "direct", "he", "said", None)],
    ),
    ("“Is this fair?” she asked.", [("Is this fair?", "direct", "she", "asked", None)]),
    (
        "“Three sentences here. Another one. And a last one,” Smith said.",
        [("Three sentences here. Another one. And a last one,", "direct", "Smith", "said", None)],
    ),
    (
        "Smith called it “a historic day for the country.”",
        [("a historic day for the country.", "partial", "Smith", "called", None)],
    ),
    (
        "The White House said in a statement that the president “strongly condemns” the attack.",
        [("strongly condemns", "partial", "The White House", "said", None)],
    ),
    (
        "Mr. Trump has repeatedly called the investigation a “witch hunt.”",
        [("witch hunt.", "partial", "Trump", "called", None)],
    ),
    (
        "Governor Ann Lee was blunt on Tuesday. “We lost,” she said.",
        [("We lost,", "direct", "she", "said", "Ann Lee")],
    ),
    (
        "“We need time,” she said, before adding: “But not too much.”",
        [
            ("We need time,", "direct", "she", "said", None),
            ("But not too much.", "direct", "she", None, None),
        ],
    ),
    ("Supporters of “Black Lives Matter” marched through the city.", []),
    ("The vaccine program, known as “Operation Warp Speed,” was announced in May.", []),
    (
        "UN chief ‘deeply alarmed’ by escalation in Gaza",
        [("deeply alarmed", "partial", None, None, None)],
    ),
    (
        "“We will appeal,” the club said in a statement on its website.",
        [("We will appeal,", "direct", "the club", "said", None)],
    ),
    (
        "“That is simply untrue,” a spokesperson for the ministry told Reuters.",
        [("That is simply untrue,", "direct", "spokesperson", "told", None)],
    ),
    (
        "Experts warned that the virus could “spread rapidly” in crowded camps.",
        [("spread rapidly", "partial", "Experts", "warned", None)],
    ),
    (
        "The ministry denied the report, calling it “pure fabrication.”",
        [("pure fabrication.", "partial", "The ministry", None, None)],
    ),
    (
        "“I love this city,” Smith said. “I was born here. My children were born here.”",
        [
            ("I love this city,", "direct", "Smith", "said", None),
            ("I was born here. My children were born here.", "direct", "Smith", "said", None),
        ],
    ),
    (
        "“We are united,” the leaders said in a joint statement.",
        [("We are united,", "direct", "the leaders", "said", None)],
    ),
    (
        "The court ruled the law “unconstitutional” on Friday.",
        [("unconstitutional", "partial", "The court", "ruled", None)],
    ),
    (
        '"I\'m not worried," Jones said. "Not at all."',
        [
            ("I'm not worried,", "direct", "Jones", "said", None),
            ("Not at all.", "direct", "Jones", "said", None),
        ],
    ),
    (
        "She said the talks had been “constructive,” but that “serious differences remain.”",
        [
            ("constructive,", "partial", "She", "said", None),
            ("serious differences remain.", "direct", "She", "said", None),
        ],
    ),
]


# Constructions added with the attribution strategies for colons, previous sentences,
# passives and names inside a subject.
CASES += [
    ("The newspaper “El Tiempo” reported that talks had stalled.", []),
    (
        "Smith “strongly” denied the claims on Monday.",
        [("strongly", "partial", "Smith", "denied", None)],
    ),
    (
        "Smith said on Monday, after a long meeting with union leaders, that “the strike is over.”",
        [("the strike is over.", "direct", "Smith", "said", None)],
    ),
    (
        "Governor Ana Silva was blunt: “We lost this fight.”",
        [("We lost this fight.", "direct", "Ana Silva", None, None)],
    ),
    (
        "Putin: “We will respond to any threat”",
        [("We will respond to any threat", "direct", "Putin", None, None)],
    ),
    (
        "The mayor said the budget would be cut. “There is simply no money left.”",
        [("There is simply no money left.", "direct", "The mayor", "said", None)],
    ),
    (
        "Lee was quoted as saying that the deal was “dead in the water.”",
        [("dead in the water.", "partial", "Lee", None, None)],
    ),
    (
        "“The situation is critical,” the WHO said on Tuesday.\n\n“We need more funding now.”",
        [
            ("The situation is critical,", "direct", "the WHO", "said", None),
            ("We need more funding now.", "direct", "the WHO", "said", None),
        ],
    ),
    (
        "Opposition leader Juan Guaidó called the election “a fraud” and urged supporters to "
        "protest.",
        [("a fraud", "partial", "Juan Guaidó", "called", None)],
    ),
    (
        "“We don’t know yet,” admitted Health Minister Karl Lauterbach.",
        [("We don’t know yet,", "direct", "Karl Lauterbach", "admitted", None)],
    ),
    (
        "Russia’s foreign ministry said the sanctions were “illegal.”",
        [("illegal.", "partial", "Russia’s foreign ministry", "said", None)],
    ),
    (
        "“I’m confident,” the 45-year-old told AFP.",
        [("I’m confident,", "direct", "the 45-year-old", "told", None)],
    ),
    (
        "Officials described the attack as “barbaric” and “cowardly”.",
        [
            ("barbaric", "partial", "Officials", "described", None),
            ("cowardly", "partial", "Officials", "described", None),
        ],
    ),
    (
        "“This is not over,” Jones warned. “Not by a long shot.”",
        [
            ("This is not over,", "direct", "Jones", "warned", None),
            ("Not by a long shot.", "direct", "Jones", "warned", None),
        ],
    ),
    (
        "In a statement, the army said its troops had “neutralised” several militants.",
        [("neutralised", "partial", "the army", "said", None)],
    ),
    (
        "The protesters chanted “Down with the regime!” outside the embassy.",
        [("Down with the regime!", "partial", "The protesters", "chanted", None)],
    ),
]


# Nicknames inside names, "quoted X as saying", fragments with no reporting verb.
CASES += [
    (
        "The talks will resume, Press Secretary Anthony “Ace” Newbold announced today.",
        [],
    ),
    (
        "Officials will meet at “special press conferences”, Press Secretary Anthony “Ace” "
        "Newbold announced.",
        [("special press conferences", "partial", "Newbold", "announced", None)],
    ),
    (
        "Agriculture Minister Audu Ogbeh spoke on Monday. A report quoted him as saying "
        "‘Nigerians eat too much rice’.",
        [("Nigerians eat too much rice", "direct", "him", "saying", "Audu Ogbeh")],
    ),
    (
        "A statement quoted the minister as saying: “This is totally false.”",
        [("This is totally false.", "direct", "the minister", "saying", None)],
    ),
    (
        "Newbold later apologized for using the word ‘scrum’.",
        [("scrum", "partial", "Newbold", None, None)],
    ),
]


# Pronoun chains, main-clause antecedents, reported speech, headline isolation.
CASES += [
    (
        "President Maria Lopez said on Monday that talks would go on.\n\n"
        "“We remain hopeful,” she said after meeting Chancellor Anna Berg.\n\n"
        "“There is still time,” she said.",
        [
            ("We remain hopeful,", "direct", "she", "said", "Maria Lopez"),
            ("There is still time,", "direct", "she", "said", "Maria Lopez"),
        ],
    ),
    (
        "The ministry announced new rules after learning that Acme had broken the law. "
        "It said Acme must give “full guarantees” by June.",
        [("full guarantees", "partial", "It", "said", "ministry")],
    ),
    (
        "“We are still considering our options,” the transcript cited Bolton as saying.",
        [("We are still considering our options,", "direct", "Bolton", "saying", None)],
    ),
    (
        "Official - ‘No deal yet’ on border\n\nThe foreign minister said talks would resume.",
        [("No deal yet", "partial", "Official", None, None)],
    ),
]


# Statements "saying", role nouns as antecedents, opinion verbs before a quotation.
CASES += [
    (
        "The club issued a statement saying “the coach has been suspended.”",
        [("the coach has been suspended.", "direct", "The club", "saying", None)],
    ),
    (
        "The row is over a speech by the US president in which he urged supporters to "
        "“fight like hell”.",
        [("fight like hell", "partial", "he", "urged", "president")],
    ),
    (
        "Opposition MP Rachel Reeves believes the rules must change. “We cannot go on like this.”",
        [("We cannot go on like this.", "direct", "Rachel Reeves", "believes", None)],
    ),
]


CASES += [
    (
        "“The mission continues,” said the Head of State.",
        [("The mission continues,", "direct", "the Head of State", "said", None)],
    ),
]


CASES += [
    (
        "He said “we will fight until the end”.",
        [("we will fight until the end", "direct", "He", "said", None)],
    ),
    (
        "The ministry statement reads: “The talks are over.”",
        [("The talks are over.", "direct", "statement", "reads", None)],
    ),
    (
        "The attack was “well planned”, according to police.",
        [("well planned", "partial", "police", "according to", None)],
    ),
]


@pytest.fixture(scope="module")
def nlp() -> Language:
    """The real pipeline (cached per process by load_model)."""
    return load_model()


def found(nlp: Language, text: str) -> list[tuple[str, str, str | None, str | None, str | None]]:
    """What the detector finds, scare quotes included (they are left out by default,
    tests/test_scare_quotes.py; these cases are about finding and classifying)."""
    annotations = annotations_from_doc(nlp(text), scare_quotes=True)

    def cut(span: Span | None) -> str | None:
        return text[span.start : span.end] if span else None

    return [
        (text[q.start : q.end], str(q.kind), cut(q.speaker), cut(q.cue), cut(q.speaker_ref))
        for q in quotations(annotations.quotes)
    ]


@pytest.mark.model
@pytest.mark.parametrize(("text", "expected"), CASES, ids=[c[0][:40] for c in CASES])
def test_news_patterns(nlp: Language, text: str, expected: list[Expected]) -> None:
    got = found(nlp, text)
    assert [(g[0], g[1]) for g in got] == [(e[0], e[1]) for e in expected], got
    for (_, _, speaker, cue, ref), (_, _, want_speaker, want_cue, want_ref) in zip(
        got, expected, strict=True
    ):
        if want_speaker is not None:
            assert speaker is not None and want_speaker in speaker, (speaker, want_speaker)
        if want_cue is not None:
            assert cue == want_cue
        if want_ref is not None:
            assert ref is not None and want_ref in ref, (ref, want_ref)


@pytest.mark.model
def test_quote_offsets_exclude_marks_and_speakers_are_labelled(nlp: Language) -> None:
    text = "“We will win,” Colombian Defense Minister Diego Molano said on Friday."
    (quote,) = annotations_from_doc(nlp(text)).quotes
    assert text[quote.start - 1] == "“" and text[quote.end] == "”"
    assert quote.speaker is not None and quote.speaker.label == "SPEAKER"
    assert (
        text[quote.speaker.start : quote.speaker.end] == "Colombian Defense Minister Diego Molano"
    )
    assert quote.cue is not None and quote.cue.label == "CUE"
    assert quote.kind is QuoteKind.DIRECT
    # The phrase is kept as written; the attribution links the person it names.
    assert quote.speaker_ref is not None and quote.named_speaker == quote.speaker_ref
    assert text[quote.speaker_ref.start : quote.speaker_ref.end] == "Diego Molano"


@pytest.mark.model
def test_glued_closing_mark_does_not_leak_into_the_speaker(nlp: Language) -> None:
    text = "“If they move, we will respond.”Sullivan said on Thursday."
    (quote,) = annotations_from_doc(nlp(text)).quotes
    assert quote.speaker is not None
    assert text[quote.speaker.start : quote.speaker.end] == "Sullivan"


@pytest.mark.model
def test_garbage_marks_never_raise(nlp: Language) -> None:
    text = 'He said "" and “” and ” “ weird “things\n\n” „ « ‹ " \' ‘ ’\n\n“Fine,” she said.'
    quotes = annotations_from_doc(nlp(text)).quotes
    assert all(0 <= q.start < q.end <= len(text) for q in quotes)
    assert ("Fine,", "direct") in [(text[q.start : q.end], str(q.kind)) for q in quotes]


@pytest.mark.model
def test_a_broken_mark_does_not_derail_the_rest_of_the_article(nlp: Language) -> None:
    text = (
        "“We are ready, “Jones told reporters. Then he left.\n\n"
        "“Talks will resume,” Smith said.\n\nThe “reform” passed, the mayor said."
    )
    got = found(nlp, text)
    assert [(g[0], g[1], g[2]) for g in got] == [
        ("We are ready,", "direct", "Jones"),
        ("Talks will resume,", "direct", "Smith"),
        ("reform", "partial", "the mayor"),
    ]


# -- mark pairing, no model -----------------------------------------------------


def contents(text: str) -> list[str]:
    return [text[q.start : q.end] for q in find_quotes(text)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("He said “yes” and “no”.", ["yes", "no"]),
        ('He said "yes" and "no".', ["yes", "no"]),
        ("“a “b” c”", ["a “b” c"]),
        ("“one\n\n“two\n\n“three.”", ["one\n\n“two\n\n“three."]),
        ("x “open\n\nnext paragraph", ["open"]),
        ("“ready, “Jones told", ["ready,"]),
        ("“first. “second,” he said", ["first.", "second,"]),
        ("decisively.”Sullivan said", []),
        ("“Hello.”Sullivan said", ["Hello."]),
        ("„Hallo“, sagte er", ["Hallo"]),
        ("«Bonjour», dit-il", ["Bonjour"]),
        ("the students’ union and ‘reform’ plans", ["reform"]),
        ("Guevara’s ideas in the ‘90s", []),
        ("rock 'n' roll", []),
        ("“He said ‘no’ twice,” she said", ["He said ‘no’ twice,"]),
        ("“”", []),
        ("” stray closer", []),
    ],
)
def test_pairing(text: str, expected: list[str]) -> None:
    assert contents(text) == expected


def test_unclosed_quote_is_marked_open() -> None:
    (quote,) = find_quotes("He said “we will win\n\nNext.")
    assert not quote.closed and quote.after == quote.end


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("ab .,\n“”\"'‘’«»„")), max_size=80))
def test_pairing_never_raises_and_spans_are_inside_the_text(text: str) -> None:
    for quote in find_quotes(text):
        assert 0 <= quote.open_at < quote.start < quote.end <= len(text)
        content = text[quote.start : quote.end]
        assert content == content.strip()
        if quote.close_at is not None:
            assert quote.end <= quote.close_at < len(text)


@pytest.fixture(scope="module")
def blank() -> Iterator[Language]:
    yield load_model("blank:en")


@settings(max_examples=150, deadline=None)
@given(
    st.lists(
        st.sampled_from(["Smith", " said", ",", ".", " “", "” ", '"', " he", "\n\n", " we win"]),
        max_size=30,
    ).map("".join)
)
def test_detector_without_parser_never_raises(blank: Language, text: str) -> None:
    for quote in detect_quotes(blank(text)):
        assert 0 <= quote.start < quote.end <= len(text)
        for span in (quote.speaker, quote.cue):
            if span is not None:
                assert not (quote.start <= span.start < quote.end)


def test_quotes_survive_the_edit_log_and_store_format() -> None:
    quote = Quote(3, 9, QuoteKind.PARTIAL, speaker=Span(0, 2, "SPEAKER"), cue=Span(10, 14, "CUE"))
    data = item_doc(quote)
    assert data["type"] == "quote" and data["kind"] == "partial"
    assert Quote.from_dict(data) == quote
    edit = make_edit("accept", [quote], [quote], "me", timestamp=1.0)
    assert edit_from_doc(edit_doc(edit)).before == (quote,)
    assert Annotations(quotes=(quote,)).pending == 1


@pytest.mark.model
def test_a_headline_never_borrows_the_next_paragraphs_cue(nlp: Language) -> None:
    text = "Official - ‘No deal yet’ on border\n\nThe foreign minister said talks would resume."
    (quote,) = annotations_from_doc(nlp(text)).quotes
    assert quote.cue is None
    assert quote.speaker is not None and text[quote.speaker.start : quote.speaker.end] == "Official"


@pytest.mark.model
@settings(max_examples=40, deadline=None)
@given(
    st.lists(
        st.sampled_from(
            [
                "Smith",
                " said",
                " he",
                " it",
                " told reporters",
                ",",
                ".",
                ":",
                " “",
                "” ",
                '"',
                "‘",
                "’ ",
                " The minister",
                " according to",
                "\n\n",
                " we will win",
                " the “Party”",
                " (",
                ")",
            ]
        ),
        max_size=25,
    ).map("".join)
)
def test_detector_with_the_model_never_raises(nlp: Language, text: str) -> None:
    for quote in annotations_from_doc(nlp(text)).quotes:
        assert 0 <= quote.start < quote.end <= len(text)
        for span in (quote.speaker, quote.cue, quote.speaker_ref):
            if span is not None:
                assert 0 <= span.start < span.end <= len(text)
