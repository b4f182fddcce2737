"""Due phrases and day/month mentions, always relative to the conversation's date."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from relnotebook.core.dates import (
    add_months,
    next_occurrence,
    parse_day_month,
    parse_due_phrase,
)

FRIDAY = date(2026, 11, 20)  # a Friday


@pytest.mark.parametrize(
    ("phrase", "expected"),
    [
        ("today", date(2026, 11, 20)),
        ("tomorrow", date(2026, 11, 21)),
        ("Monday", date(2026, 11, 23)),
        ("tuesday", date(2026, 11, 24)),
        ("Wed", date(2026, 11, 25)),
        ("thu", date(2026, 11, 26)),
        ("Saturday", date(2026, 11, 21)),
        ("sun", date(2026, 11, 22)),
        # strictly after: Friday said on a Friday is next week's Friday
        ("Friday", date(2026, 11, 27)),
        ("fri", date(2026, 11, 27)),
        ("next week", date(2026, 11, 23)),
        ("end of month", date(2026, 11, 30)),
        ("end of next month", date(2026, 12, 31)),
        ("in 3 days", date(2026, 11, 23)),
        ("in 1 day", date(2026, 11, 21)),
        ("in a week", date(2026, 11, 27)),
        ("in 1 week", date(2026, 11, 27)),
        ("in 2 weeks", date(2026, 12, 4)),
        ("in a month", date(2026, 12, 20)),
        ("in 3 months", date(2027, 2, 20)),
        ("14 March", date(2027, 3, 14)),
        ("March 14", date(2027, 3, 14)),
        ("14 Mar", date(2027, 3, 14)),
        ("Mar 14", date(2027, 3, 14)),
        ("14th March", date(2027, 3, 14)),
        ("March 14th", date(2027, 3, 14)),
        ("1 December", date(2026, 12, 1)),
        ("20 November", date(2026, 11, 20)),  # on or after: the same day counts
        ("19 November", date(2027, 11, 19)),
        ("2026-12-01", date(2026, 12, 1)),
    ],
)
def test_due_phrase_forms(phrase: str, expected: date) -> None:
    assert parse_due_phrase(phrase, FRIDAY) == expected


@pytest.mark.parametrize(
    "phrase", ["  FRIDAY  ", "friday.", "Friday!", "friday;", "friday,", "FrIdAy..."]
)
def test_due_phrase_ignores_case_spaces_and_trailing_punctuation(phrase: str) -> None:
    assert parse_due_phrase(phrase, FRIDAY) == date(2026, 11, 27)


def test_next_week_from_a_monday_is_the_following_monday() -> None:
    assert parse_due_phrase("next week", date(2026, 11, 16)) == date(2026, 11, 23)


def test_next_week_from_a_sunday_is_the_next_day() -> None:
    assert parse_due_phrase("next week", date(2026, 11, 22)) == date(2026, 11, 23)


def test_end_of_month_in_december_and_february() -> None:
    assert parse_due_phrase("end of month", date(2026, 12, 5)) == date(2026, 12, 31)
    assert parse_due_phrase("end of next month", date(2026, 12, 5)) == date(2027, 1, 31)
    assert parse_due_phrase("end of month", date(2027, 2, 1)) == date(2027, 2, 28)
    assert parse_due_phrase("end of month", date(2028, 2, 1)) == date(2028, 2, 29)
    assert parse_due_phrase("end of next month", date(2028, 1, 31)) == date(2028, 2, 29)


def test_months_clamp_to_the_last_day() -> None:
    assert parse_due_phrase("in 1 month", date(2027, 1, 31)) == date(2027, 2, 28)
    assert parse_due_phrase("in 1 month", date(2028, 1, 31)) == date(2028, 2, 29)
    assert parse_due_phrase("in 13 months", date(2026, 1, 31)) == date(2027, 2, 28)
    assert add_months(date(2026, 3, 31), 1) == date(2026, 4, 30)


def test_day_month_on_the_same_day_is_that_day() -> None:
    assert parse_due_phrase("14 March", date(2027, 3, 14)) == date(2027, 3, 14)
    assert parse_due_phrase("14 March", date(2027, 3, 15)) == date(2028, 3, 14)


def test_29_february_goes_to_the_next_leap_year() -> None:
    assert parse_due_phrase("29 February", FRIDAY) == date(2028, 2, 29)
    assert parse_due_phrase("Feb 29", date(2028, 2, 29)) == date(2028, 2, 29)
    assert parse_due_phrase("29 feb", date(2028, 3, 1)) == date(2032, 2, 29)
    # 2100 is not a leap year: eight years apart
    assert next_occurrence(29, 2, date(2096, 3, 1)) == date(2104, 2, 29)


def test_day_month_with_a_year_is_that_exact_day() -> None:
    assert parse_due_phrase("14 March 2027", FRIDAY) == date(2027, 3, 14)
    assert parse_due_phrase("March 14, 2027", FRIDAY) == date(2027, 3, 14)


@pytest.mark.parametrize(
    "phrase",
    [
        "2026-02-30",  # impossible ISO date
        "2026-13-01",
        "31 April",
        "30 February",
        "3/4",  # numeric dates are not guessed
        "03/04/2026",
        "email",
        "phone",
        "someday",
        "next friday",
        "next month",
        "in some days",
        "in -3 days",
        "friday morning",
        "",
        "   ",
        "...",
        "14",
        "March",
        "Zürich",
        "金曜日",
    ],
)
def test_anything_else_is_none(phrase: str) -> None:
    assert parse_due_phrase(phrase, FRIDAY) is None


def test_out_of_range_dates_are_none_not_errors() -> None:
    last = date.max
    for phrase in ("tomorrow", "friday", "next week", "14 March", "end of next month",
                   "in 3 months", "in 9999999 days", "in 9999999 weeks"):
        assert parse_due_phrase(phrase, last) is None
    assert parse_due_phrase("today", last) == last
    assert parse_due_phrase("end of month", last) == last


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("birthday 14 March", (14, 3, None)),
        ("March 14", (14, 3, None)),
        ("birthday: mar 14th", (14, 3, None)),
        ("wedding anniversary 2015-06-10", (10, 6, 2015)),
        ("born 14 March 1980", (14, 3, 1980)),
        ("born March 14, 1980 in Basel", (14, 3, 1980)),
        ("29 Feb", (29, 2, None)),
        ("Geburtstag der Tochter: 3 May", (3, 5, None)),
        ("31 April is not a day, 30 April is", (30, 4, None)),
    ],
)
def test_parse_day_month_finds_a_date_anywhere(
    text: str, expected: tuple[int, int, int | None]
) -> None:
    assert parse_day_month(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "31 April",
        "30 February",
        "29 February 2027",  # not a leap year
        "2026-02-30",
        "no date here",
        "3/4",
        "x14 March",
        "2014 March",
        "March 2026",
        "",
    ],
)
def test_parse_day_month_rejects_impossible_or_absent_dates(text: str) -> None:
    assert parse_day_month(text) is None


@given(st.text(alphabet=st.characters(exclude_categories=())), st.dates())
def test_due_phrase_never_raises(phrase: str, on: date) -> None:
    result = parse_due_phrase(phrase, on)
    assert result is None or isinstance(result, date)


@given(
    st.lists(
        st.sampled_from(
            ["in", "a", "1", "99999", "month", "weeks", "days", "end", "of", "next", "March",
             "29", "Feb", "14th", "friday", "today", "tomorrow", "week", "2026-02-29", " ", "."]
        ),
        max_size=5,
    ).map(" ".join),
    st.dates(),
)
def test_due_phrase_never_raises_on_near_misses(phrase: str, on: date) -> None:
    result = parse_due_phrase(phrase, on)
    assert result is None or isinstance(result, date)


@given(st.text(alphabet=st.characters(exclude_categories=())))
def test_parse_day_month_never_raises(text: str) -> None:
    found = parse_day_month(text)
    if found is not None:
        day, month, year = found
        assert 1 <= month <= 12
        assert 1 <= day <= 31
        assert year is None or 1 <= year <= 9999
