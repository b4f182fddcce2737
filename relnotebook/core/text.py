"""The one fold function: the CLI's name matching, the list filter, search and import's
duplicate check all compare folded text, so "muller" finds "Müller" everywhere alike.

NFKD, combining marks dropped, casefold, plus the letters that do not decompose
(ø→o, ł→l, æ→ae, œ→oe, ß→ss, đ→d).
"""

from __future__ import annotations

import re
import unicodedata

_EXTRA = str.maketrans(
    {"ø": "o", "Ø": "o", "ł": "l", "Ł": "l", "æ": "ae", "Æ": "ae", "œ": "oe", "Œ": "oe",
     "ß": "ss", "ẞ": "ss", "đ": "d", "Đ": "d", "ı": "i", "þ": "th", "Þ": "th", "ð": "d", "Ð": "d"}
)
_SPACES = re.compile(r"\s+")


def fold(text: str) -> str:
    """Fold for comparison: accents and case gone, whitespace collapsed."""
    decomposed = unicodedata.normalize("NFKD", text.translate(_EXTRA))
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return _SPACES.sub(" ", stripped.casefold().translate(_EXTRA)).strip()


def words(text: str) -> list[str]:
    """The folded words of a text (letters and digits), for prefix matching."""
    return [w for w in re.split(r"[^\w]+", fold(text)) if w]
