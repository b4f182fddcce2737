"""English plurals without a translation file: "1 day", not "1 days"."""

from __future__ import annotations

import re
from pathlib import Path

from relnotebook.ui import words

UI = Path(words.__file__).parent
PLURAL_TEXT = re.compile(r'\btr\(\s*"((?:[^"\\]|\\.)*%n(?:[^"\\]|\\.)*)"')


def _plural_texts() -> set[str]:
    found = set()
    for source in UI.glob("*.py"):
        found.update(PLURAL_TEXT.findall(source.read_text(encoding="utf-8")))
    return found


def test_every_plural_text_in_the_window_has_its_english_singular():
    texts = _plural_texts()
    assert len(texts) > 10  # the scan found them (it would pass vacuously otherwise)
    missing = sorted(texts - set(words.ENGLISH_ONE))
    assert not missing, f"add the singular of these to words.ENGLISH_ONE: {missing}"


def test_a_singular_reads_as_english(qapp):
    assert words.days_until(1) == "due in 1 day"
    assert words.days_until(-1) == "overdue by 1 day"
    assert words.days_ago(-1) == "in 1 day"
    assert words.tr("every %n days", 1) == "every day"


def test_other_counts_keep_the_plural(qapp):
    assert words.days_until(2) == "due in 2 days"
    assert words.days_until(-12) == "overdue by 12 days"
    assert words.tr("%n new customers", 0) == "0 new customers"
    assert words.tr("every %n days", 90) == "every 90 days"
