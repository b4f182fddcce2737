"""Quick capture: what a note typed during a meeting turns into (DESIGN §4)."""

from __future__ import annotations

from datetime import date
from unicodedata import normalize

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from relnotebook.core.capture import (
    CapturedItem,
    CaptureResult,
    CaptureWarning,
    ItemKind,
    parse,
)

ON = date(2026, 11, 20)  # a Friday


def one(text: str, on: date = ON) -> CapturedItem:
    """The single non-topic item a one-line note produced."""
    items = [item for item in parse(text, on).items if item.kind is not ItemKind.TOPIC]
    assert len(items) == 1, items
    return items[0]


def codes(result: CaptureResult) -> list[tuple[int, str]]:
    return [(warning.line, warning.code) for warning in result.warnings]


# --- markers -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("line", "kind", "text"),
    [
        ("[ ] send the quote", ItemKind.I_OWE, "send the quote"),
        ("[them] send the PO", ItemKind.THEY_OWE, "send the PO"),
        ("[x] send the quote", ItemKind.CLOSE, "send the quote"),
        ("? who signs off", ItemKind.QUESTION, "who signs off"),
        ("+style: likes short calls", ItemKind.STYLE, "likes short calls"),
        ("+unsaid: avoided the budget", ItemKind.UNSAID, "avoided the budget"),
        ("+send: the pricing article", ItemKind.SEND, "the pricing article"),
    ],
)
def test_simple_markers(line: str, kind: ItemKind, text: str) -> None:
    item = one(line)
    assert (item.kind, item.text, item.line) == (kind, text, 1)
    assert item.due is None


@pytest.mark.parametrize(
    ("marker", "subkind"),
    [
        ("family", "family"),
        ("pet", "pet"),
        ("hobby", "hobby"),
        ("interest", "interest"),
        ("food", "food"),
        ("date", "date"),
        ("life", "life"),
        ("detail", "other"),
    ],
)
def test_detail_markers(marker: str, subkind: str) -> None:
    item = one(f"+{marker}: something personal")
    assert (item.kind, item.subkind, item.text) == (ItemKind.DETAIL, subkind, "something personal")
    assert (item.day, item.month, item.year) == (None, None, None)


@pytest.mark.parametrize(
    ("marker", "subkind"),
    [
        ("hot", "hot_button"),
        ("timeline", "timeline"),
        ("need", "need"),
        ("expects", "expectation"),
        ("agenda", "agenda"),
    ],
)
def test_fact_markers(marker: str, subkind: str) -> None:
    item = one(f"+{marker}: uptime above all")
    assert (item.kind, item.subkind, item.text) == (ItemKind.FACT, subkind, "uptime above all")


def test_detail_with_a_date_carries_day_and_month() -> None:
    item = one("+date: birthday 14 March")
    assert (item.subkind, item.text) == ("date", "birthday 14 March")
    assert (item.day, item.month, item.year) == (14, 3, None)
    item = one("+family: daughter Lena, born 2015-06-10")
    assert (item.subkind, item.day, item.month, item.year) == ("family", 10, 6, 2015)
    item = one("+date: 31 April")
    assert (item.day, item.month) == (None, None)


def test_send_pulls_out_the_first_url() -> None:
    item = one("+send: article https://example.com/a?b=1#frag about hiking, https://x.org")
    assert item.url == "https://example.com/a?b=1#frag"
    assert item.text == "article about hiking, https://x.org"
    item = one("+send: (see http://example.com/recipes).")
    assert item.url == "http://example.com/recipes"
    assert one("+send: a book on sailing").url is None
    only_url = one("+send: https://example.com/")
    assert (only_url.text, only_url.url) == ("", "https://example.com/")


@pytest.mark.parametrize(
    "line",
    [
        "[X] done thing",
        "[THEM] send the PO",
        "[Them] send the PO",
        "+Family: two kids",
        "+FAMILY: two kids",
        "+Hot: uptime",
        "[ x ] done thing",
    ],
)
def test_markers_are_case_insensitive(line: str) -> None:
    assert one(line).kind is not ItemKind.TOPIC


@pytest.mark.parametrize(
    "line",
    [
        "  [ ] call back",
        "\t[ ] call back",
        "- [ ] call back",
        "* [ ] call back",
        "1. [ ] call back",
        "12. [ ] call back",
        "    - [ ] call back",
        "\t* [ ] call back",
        "[ ]   call back   ",
        "[]call back",
    ],
)
def test_bullets_and_indentation(line: str) -> None:
    item = one(line)
    assert (item.kind, item.text) == (ItemKind.I_OWE, "call back")


@pytest.mark.parametrize(
    "line",
    [
        "call back [ ] later",
        "-[ ] not a bullet",
        "?? puzzled",
        "?not a question",
        "a. [ ] letter bullets are not bullets",
        "[y] what",
    ],
)
def test_markers_only_at_line_start(line: str) -> None:
    result = parse(line, ON)
    assert result.items == ()
    assert result.summary == line.strip()


def test_empty_markers_warn_and_produce_nothing() -> None:
    result = parse("[ ]\n+pet:\n?\n[them]   \n- [x]\n+send:  \t", ON)
    assert result.items == ()
    assert [(w.line, w.code, w.param("marker")) for w in result.warnings] == [
        (1, "empty_marker", "[ ]"),
        (2, "empty_marker", "+pet:"),
        (3, "empty_marker", "?"),
        (4, "empty_marker", "[them]"),
        (5, "empty_marker", "[x]"),
        (6, "empty_marker", "+send:"),
    ]
    assert result.summary == ""


def test_unknown_marker_stays_text_and_warns() -> None:
    result = parse("+foo: something\n+Pets: a cat", ON)
    assert result.items == ()
    assert result.summary == "+foo: something"
    assert [(w.line, w.code, w.param("marker")) for w in result.warnings] == [
        (1, "unknown_marker", "+foo:"),
        (2, "unknown_marker", "+Pets:"),
    ]


def test_plus_number_is_plain_text_without_warning() -> None:
    result = parse("+1: Anna agrees", ON)
    assert (result.summary, result.items, result.warnings) == ("+1: Anna agrees", (), ())


def test_warning_param_helper() -> None:
    warning = CaptureWarning(3, "unparsed_due", (("phrase", "someday"),))
    assert warning.param("phrase") == "someday"
    assert warning.param("missing") == ""
    assert warning.param("missing", "?") == "?"
    assert hash(warning) == hash(CaptureWarning(3, "unparsed_due", (("phrase", "someday"),)))


# --- due phrases -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("line", "text", "due"),
    [
        ("[ ] send the deck by Friday", "send the deck", date(2026, 11, 27)),
        ("[ ] send the deck by friday.", "send the deck", date(2026, 11, 27)),
        ("[ ] send the deck due tomorrow", "send the deck", date(2026, 11, 21)),
        ("[them] send the PO by next week", "send the PO", date(2026, 11, 23)),
        ("[ ] invoice by end of month", "invoice", date(2026, 11, 30)),
        ("[ ] invoice BY END OF NEXT MONTH", "invoice", date(2026, 12, 31)),
        ("[ ] call back in a week", "call back in a week", None),
        ("[ ] call back by in 2 weeks", "call back", date(2026, 12, 4)),
        ("[ ] renew contract by 14 March", "renew contract", date(2027, 3, 14)),
        ("[ ] renew contract by March 14th", "renew contract", date(2027, 3, 14)),
        ("[ ] renew contract due 2026-12-01", "renew contract", date(2026, 12, 1)),
        ("[ ] call Anna by phone by Friday", "call Anna by phone", date(2026, 11, 27)),
        ("[ ] report, due Monday", "report", date(2026, 11, 23)),
        ("[ ] send it by email", "send it by email", None),
        ("[ ] sort out 3/4 by 3/4", "sort out 3/4 by 3/4", None),
        ("[them] send the PO next week", "send the PO next week", None),
        ("[ ] bypass Friday", "bypass Friday", None),
        ("[ ] by Friday", "by Friday", None),
    ],
)
def test_follow_up_due_phrases(line: str, text: str, due: date | None) -> None:
    item = one(line)
    assert (item.text, item.due) == (text, due)


def test_friday_on_a_friday_is_next_weeks_friday() -> None:
    assert one("[ ] call by Friday").due == date(2026, 11, 27)


def test_due_phrases_are_relative_to_the_conversation_date() -> None:
    assert one("[ ] call by tomorrow", on=date(2025, 2, 28)).due == date(2025, 3, 1)
    assert one("[ ] call by next week", on=date(2026, 11, 16)).due == date(2026, 11, 23)
    assert one("[ ] call in 1 month by in 1 month", on=date(2027, 1, 31)).due == date(2027, 2, 28)


def test_unparsed_due_warns_and_keeps_text() -> None:
    result = parse("[ ] pay the invoice due someday", ON)
    (item,) = result.items
    assert (item.text, item.due) == ("pay the invoice due someday", None)
    (warning,) = result.warnings
    assert (warning.line, warning.code, warning.param("phrase")) == (1, "unparsed_due", "someday")


def test_unparsed_due_names_the_phrase_after_the_last_due() -> None:
    result = parse("[ ] due diligence due whenever they like", ON)
    assert result.warnings[0].param("phrase") == "whenever they like"


def test_unparsed_by_does_not_warn() -> None:
    assert parse("[ ] send it by email", ON).warnings == ()


def test_a_parsed_by_wins_over_an_earlier_due() -> None:
    result = parse("[ ] invoice due soon, pay by Friday", ON)
    (item,) = result.items
    assert (item.text, item.due) == ("invoice due soon, pay", date(2026, 11, 27))
    assert result.warnings == ()


def test_closing_and_questions_keep_due_words_as_text() -> None:
    assert one("[x] send the deck by Friday").text == "send the deck by Friday"
    assert one("? can they sign by Friday").text == "can they sign by Friday"
    assert one("? can they sign by Friday").due is None


# --- topics ----------------------------------------------------------------------------------


def topics(text: str) -> list[tuple[str, int]]:
    return [(item.text, item.line) for item in parse(text, ON).of_kind(ItemKind.TOPIC)]


def test_topics_anywhere_in_any_line() -> None:
    assert topics("talked #pricing and #roadmap\nthen #Q4-plans.") == [
        ("pricing", 1),
        ("roadmap", 1),
        ("Q4-plans", 2),
    ]


def test_topic_in_a_follow_up_gives_both() -> None:
    result = parse("[ ] send #pricing deck by Friday", ON)
    assert [(i.kind, i.text, i.due) for i in result.items] == [
        (ItemKind.I_OWE, "send #pricing deck", date(2026, 11, 27)),
        (ItemKind.TOPIC, "pricing", None),
    ]


def test_non_ascii_topics() -> None:
    assert topics("#Zürich #販売 #Łódź #हिन्दी #naïve_plan") == [
        ("Zürich", 1),
        ("販売", 1),
        ("Łódź", 1),
        ("हिन्दी", 1),
        ("naïve_plan", 1),
    ]


def test_topic_with_combining_marks_is_not_cut() -> None:
    assert topics("#Zu\u0308rich") == [("Zu\u0308rich", 1)]


@pytest.mark.parametrize(
    "text",
    [
        "we use C# and F#",
        "ticket #2 and #2026",
        "see http://x.example/#frag",
        "see https://x.example/page#section",
        "see https://x.example/?a=b&c=#frag",
        "issue#12 and abc#def",
        "# heading",
        "#",
        "#-_ and #__",
        "x/#frag",
    ],
)
def test_things_that_are_not_topics(text: str) -> None:
    assert topics(text) == []


def test_topic_trailing_dash_and_underscore_are_stripped() -> None:
    assert topics("#budget- and #plan_ ok #a-b") == [("budget", 1), ("plan", 1), ("a-b", 1)]


def test_topic_after_punctuation() -> None:
    assert topics("(#budget), '#plan', ##twice, _#under") == [
        ("budget", 1),
        ("plan", 1),
        ("twice", 1),
        ("under", 1),
    ]


def test_duplicate_topics_reported_once_first_spelling_wins() -> None:
    assert topics("#Pricing\n#pricing and #PRICING\n#Straße #STRASSE") == [
        ("Pricing", 1),
        ("Straße", 3),
    ]


# --- summary ---------------------------------------------------------------------------------


def test_summary_is_first_non_marker_line() -> None:
    note = "\n   \n[ ] call back\n#pricing #budget\n- Talked pricing with Anna #budget\nmore\n"
    result = parse(note, ON)
    assert result.summary == "Talked pricing with Anna #budget"


def test_summary_keeps_text_as_typed() -> None:
    assert parse("  # Meeting with Müller  \n", ON).summary == "# Meeting with Müller"
    assert parse("* **Bold** start", ON).summary == "**Bold** start"
    assert parse("3. third point", ON).summary == "third point"
    assert parse("- - nested", ON).summary == "- nested"


def test_topic_only_lines_are_not_the_summary() -> None:
    assert parse("#pricing, #budget;\n- #roadmap\nreal summary", ON).summary == "real summary"


def test_summary_empty_when_only_markers() -> None:
    assert parse("[ ] a\n? b\n+pet: cat\n#topic\n - \n", ON).summary == ""
    assert parse("", ON).summary == ""


# --- whole notes -----------------------------------------------------------------------------


NOTE = """\
Lunch with Søren Ødegaard at Café Größe #Zürich
- [ ] Angebot schicken by Friday
- [them] 发送采购订单 by 2026-12-01
* [x] Preisliste
1. ? Qui signe le contrat ?
  +family: Tochter heiratet im Mai
  +date: anniversaire 14 mars -- no, 14 March
+need: 24/7 Support #support
+send: Rezeptbuch https://example.com/vegetarisch
"""


def test_a_whole_note_in_line_order() -> None:
    result = parse(NOTE, ON)
    assert result.summary == "Lunch with Søren Ødegaard at Café Größe #Zürich"
    assert [(i.line, i.kind, i.text) for i in result.items] == [
        (1, ItemKind.TOPIC, "Zürich"),
        (2, ItemKind.I_OWE, "Angebot schicken"),
        (3, ItemKind.THEY_OWE, "发送采购订单"),
        (4, ItemKind.CLOSE, "Preisliste"),
        (5, ItemKind.QUESTION, "Qui signe le contrat ?"),
        (6, ItemKind.DETAIL, "Tochter heiratet im Mai"),
        (7, ItemKind.DETAIL, "anniversaire 14 mars -- no, 14 March"),
        (8, ItemKind.FACT, "24/7 Support #support"),
        (8, ItemKind.TOPIC, "support"),
        (9, ItemKind.SEND, "Rezeptbuch"),
    ]
    assert result.items[1].due == date(2026, 11, 27)
    assert result.items[2].due == date(2026, 12, 1)
    assert (result.items[6].day, result.items[6].month) == (14, 3)
    assert result.warnings == ()
    assert result.of_kind(ItemKind.I_OWE, ItemKind.THEY_OWE) == result.items[1:3]


def test_windows_line_endings_tabs_and_nul() -> None:
    result = parse("Summary\r\n\t[ ] call\x00 back by Friday\r\n+pet:\tcat\r\r? why", ON)
    assert result.summary == "Summary"
    assert [(i.line, i.kind, i.text) for i in result.items] == [
        (2, ItemKind.I_OWE, "call\x00 back"),
        (3, ItemKind.DETAIL, "cat"),
        (5, ItemKind.QUESTION, "why"),
    ]


def test_lone_surrogates_do_not_raise() -> None:
    result = parse("\ud800 #to\udc00pic\n[ ] a\udfff by Friday", ON)
    assert result.of_kind(ItemKind.I_OWE)[0].due == date(2026, 11, 27)


def test_results_are_frozen_and_hashable() -> None:
    result = parse(NOTE, ON)
    assert hash(result) == hash(parse(NOTE, ON))
    with pytest.raises(AttributeError):
        result.items[0].text = "changed"  # type: ignore[misc]


@pytest.mark.parametrize(
    "line",
    [
        "[ ] " + "by " * 50_000,
        "[ ] " + "due " * 50_000 + "someday",
        "#" * 250_000,
        "#" + "a\u0301" * 50_000,
        "a-" * 120_000 + "#x",
        "a://#" * 50_000,
        "+send: " + "https://x " * 25_000,
        "+date: " + "1 " * 120_000,
        "x" * 500_000,
    ],
)
def test_huge_lines_parse_to_one_line_of_records(line: str) -> None:
    """Pathological pasted lines (regex backtracking bait) still parse; speed is a benchmark's
    business, not an assertion here."""
    result = parse(line, ON)
    assert all(item.line == 1 for item in result.items)


# --- properties -----------------------------------------------------------------------------

_FRAGMENTS = [
    "[ ]", "[them]", "[x]", "[X]", "?", "+family:", "+date:", "+hot:", "+send:", "+foo:", "- ",
    "* ", "1. ", "  ", "\t", "\n", "\r\n", "\r", "#", "#topic", "C#", "by", "due", " by ",
    " due ", "Friday", "14 March", "2026-02-30", "next week", "end of month", "in 2 weeks",
    "https://x.example/#a", "Zürich", "販売", "\x00", "\ud800", "3/4", ",", ".",
]


@settings(max_examples=300)
@given(
    st.one_of(
        st.text(alphabet=st.characters(exclude_categories=())),
        st.lists(st.sampled_from(_FRAGMENTS), max_size=30).map("".join),
    ),
    st.dates(),
)
def test_parse_never_raises_and_lines_are_within_the_note(text: str, on: date) -> None:
    result = parse(text, on)
    line_count = len(text.replace("\r\n", "\n").replace("\r", "\n").split("\n"))
    for entry in (*result.items, *result.warnings):
        assert 1 <= entry.line <= line_count
    assert [item.line for item in result.items] == sorted(item.line for item in result.items)
    assert "\n" not in result.summary and "\r" not in result.summary
    for item in result.items:
        assert item.text or item.kind is ItemKind.SEND
        if item.due is not None:
            assert item.kind in (ItemKind.I_OWE, ItemKind.THEY_OWE)
    names = [normalize("NFC", item.text).casefold() for item in result.of_kind(ItemKind.TOPIC)]
    assert len(names) == len(set(names))
