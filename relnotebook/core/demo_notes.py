"""Demo note bodies and the records their markers produce.

Split out of ``demo.py``: writing one customer's notes in the meeting-notes syntax (§4) while
keeping track of their open follow-ups and questions is its own job, called by the generator
in ``demo_people`` once per reached conversation.
"""

from __future__ import annotations

import functools
from datetime import date, timedelta
from typing import TYPE_CHECKING

from . import demo_data as D
from .dates import parse_due_phrase
from .demo_rows import DAY
from .models import (
    ConversationTopic,
    FollowUp,
    PersonalDetail,
    Question,
    SalesFact,
    StyleNote,
    ThoughtfulThing,
    Topic,
    Unsaid,
)
from .text import fold

if TYPE_CHECKING:
    from .demo_people import _Generator

_fold = functools.lru_cache(maxsize=1 << 16)(fold)  # note texts repeat: fold each once


class _Item:
    """A follow-up or question while notes are written: ``done``/``by`` set when closed."""

    __slots__ = ("id", "created", "conv", "text", "owner", "due", "done", "by", "tick")

    def __init__(self, id_: int, created: int, conv: int, text: str, owner: str = "",
                 due: str | None = None, tick: int | None = None) -> None:
        self.id, self.created, self.conv, self.text = id_, created, conv, text
        self.owner, self.due, self.tick = owner, due, tick
        self.done: int | None = None
        self.by: int | None = None


class _Notes:
    """One customer's open follow-ups and questions while their notes are written in order.

    ``[x] text`` closes what the real capture would: the oldest open follow-up (mine or
    theirs) whose folded text starts with ``text``, else the oldest open question, else it
    records a follow-up of mine already done (DESIGN §4). Follow-ups not closed in a note
    are mostly ticked off in the list some days later (``tick``), as a rep would.
    """

    def __init__(self, p: dict, gen: _Generator) -> None:
        self.p, self.g, self.rng, self.culture = p, gen, gen.rng, p["culture"]
        self.followups: list[_Item] = []
        self.questions: list[_Item] = []
        self.open_f: list[_Item] = []
        self.open_q: list[_Item] = []
        self.birthday_said = "birthday" not in p
        self.said: set[tuple[str, str]] = set()

    def new(self, kind: str, text: str) -> bool:
        """True the first time this customer's notes say ``text`` (people repeat less)."""
        if (kind, text) in self.said:
            return False
        self.said.add((kind, text))
        return True

    def tick(self, s: int) -> None:
        """Follow-ups ticked off in the list (no note) before moment ``s``."""
        for item in [i for i in self.open_f if i.tick is not None and i.tick < s]:
            item.done = item.tick
            self.open_f.remove(item)

    def close(self, text: str, s: int, created: int, conv: int) -> None:
        wanted = _fold(text)
        for pool in (self.open_f, self.open_q):
            for item in pool:
                if _fold(item.text).startswith(wanted):
                    item.done, item.by = s, conv
                    pool.remove(item)
                    return
        item = _Item(self.g.ids[FollowUp](), created, conv, text, "me")
        item.done, item.by = s, conv
        self.followups.append(item)

    def note(self, j: int, s: int, created: int, conv: int, channel: str, last: bool):
        """(body, summary, minutes, milestone) of a reached conversation; records added."""
        g, rng, rnd, p = self.g, self.rng, self.rng.random, self.p
        pick, between = g.pick, g.between
        culture, name, cid = self.culture, p["call"], p["id"]
        day = g.day((s - g.base) // DAY)[1]
        topics = [pick(culture.topics) if culture.topics and rnd() < .15
                  else pick(D.TOPICS) for _ in range(pick((1, 1, 2, 2, 3)))]
        topics = list(dict.fromkeys(topics))
        milestone = False
        if j == 0 and rnd() < .5:
            summary, milestone = pick(D.FIRST_MEETING).format(w=p["met_where"]), True
        elif rnd() < .03:
            summary, milestone = pick(D.MILESTONES), True
        else:
            summary = pick(D.WRITTEN if channel in ("email", "message") else D.SUMMARIES)
            summary = summary.format(p=topics[0][1], n=name)
        lines = [summary, " ".join("#" + t for t, _ in topics)]
        for tag, _phrase in topics:
            topic = g.topics.get(tag)
            if topic is None:
                topic = g.topics[tag] = g.row(Topic, created, tag, fold(tag))
            g.row(ConversationTopic, created, conv, topic)
        if rnd() < .3 and channel not in ("email", "message"):
            lines.append(pick(D.CONTEXT).format(n=name))
        closes = [f.text for f in self.open_f if rnd() < .5][:2]
        closes += [q.text for q in self.open_q if rnd() < .35][:1]
        if rnd() < .03:
            closes.append(pick(D.DONE_ALREADY))
        for text in closes:
            self.close(text, s, created, conv)
            lines.append(f"[x] {text}")
        forced = last and p["timeline"] == "overdue_followup"
        for owner, box, chance, texts in (("me", "[ ]", .55, D.MY_FOLLOWUPS),
                                          ("them", "[them]", .35, D.THEIR_FOLLOWUPS)):
            if not (rnd() < chance or (forced and owner == "me")):
                continue
            text, due, phrase = pick(texts).format(n=name), None, ""
            if forced or rnd() < .75:
                phrase = self.due_phrase(day, forced and owner == "me")
                due = parse_due_phrase(phrase.split(" ", 1)[1], day)
            # Done around the due date (a few forgotten), else within a month.
            tick = None if forced or rnd() < .02 else max(s + 3600, (
                g.base + (due - g.today).days * DAY + between(-3, 3) * DAY if due
                else s + between(1, 30) * DAY) + 8 * 3600 + int(rnd() * 8 * 3600))
            item = _Item(g.ids[FollowUp](), created, conv, text, owner,
                         due and due.isoformat(), tick)
            self.followups.append(item)
            self.open_f.append(item)
            lines.append(f"{box} {text} {phrase}".rstrip())
        if rnd() < .25:
            item = _Item(g.ids[Question](), created, conv, pick(D.QUESTIONS))
            self.questions.append(item)
            self.open_q.append(item)
            lines.append(f"? {item.text}")
        details = []
        if not self.birthday_said and (rnd() < .2 or last):
            self.birthday_said = True
            d, m, y = p["birthday"]
            details.append(("date", f"birthday {d} {D.MONTHS[m - 1]}" + (f" {y}" if y else ""),
                            d, m, y))
        if rnd() < .004:
            when = date(2001, 1, 1) + timedelta(days=rng.randrange(365))
            details.append(("date", f"{pick(D.ANNIVERSARIES)} {when.day} "
                                    f"{D.MONTHS[when.month - 1]}", when.day, when.month, None))
        if rnd() < .15:
            kind = pick(tuple(D.DETAILS))
            other = pick(culture.given_f + culture.given_m).roman[0]
            text = pick(D.DETAILS[kind]).format(g=other, club=pick(D.CLUBS))
            if self.new(kind, text):
                details.append((kind, text, None, None, None))
        for kind, text, d, m, y in details:
            g.row(PersonalDetail, created, cid, conv, text, kind, d, m, y, g.ts(s))
            lines.append(f"+{D.DETAIL_MARKER[kind]}: {text}")
        if rnd() < .2 and self.new(marker := pick(tuple(D.FACTS)),
                                   text := pick(D.FACTS[marker])):
            kind = {"hot": "hot_button", "expects": "expectation"}.get(marker, marker)
            g.row(SalesFact, created, cid, conv, text, kind, g.ts(s), int(rnd() < .2))
            lines.append(f"+{marker}: {text}")
        for model, marker, chance, texts in ((StyleNote, "style", .05, D.STYLE_NOTES),
                                             (Unsaid, "unsaid", .07, D.UNSAID)):
            if rnd() < chance and self.new(marker, text := pick(texts)):
                g.row(model, created, cid, conv, text)
                lines.append(f"+{marker}: {text}")
        if rnd() < .06:
            line = pick(D.SEND)
            text, _, url = line.partition(" https://")
            sent = s + between(2, 30) * DAY
            if rnd() < .45 and sent < g.base:
                g.row(ThoughtfulThing, created, cid, conv, text, url and "https://" + url, "sent",
                      g.ts(sent), pick(D.REACTIONS), updated=g.ts(sent))
            else:
                g.row(ThoughtfulThing, created, cid, conv, text, url and "https://" + url, "idea",
                      None, "")
            lines.append(f"+send: {line}")
        if channel in ("email", "message"):
            minutes = None
        elif channel in ("meeting", "visit"):
            minutes = between(30, 120)
        else:
            minutes = max(3, int(p["minutes"] * rng.uniform(.5, 1.7)))
        return "\n".join(lines), summary, minutes, milestone

    def due_phrase(self, day: date, soon: bool) -> str:
        rng, pick, between = self.rng, self.g.pick, self.g.between
        if soon:
            return "by " + pick(("Friday", "Monday", "Thursday", "tomorrow"))
        r = rng.random()
        if r < .1:
            when = day + timedelta(days=between(7, 60))
            return f"by {when.day} {D.MONTHS[when.month - 1]}"
        if r < .18:
            return "due " + (day + timedelta(days=between(7, 90))).isoformat()
        word = pick(D.DUE_WORDS)
        return ("due " if word[:2] in ("in", "en") else "by ") + word

    def finish(self) -> None:
        g, cid, ts = self.g, self.p["id"], self.g.ts
        self.tick(g.base)
        for f in self.followups:
            created, done = ts(f.created), f.done and ts(f.done)
            g.add[FollowUp]((f.id, g.uuid(f.created), created, done or created, cid, f.conv,
                             f.text, f.owner, f.due, done, f.by))
        for q in self.questions:
            created, asked = ts(q.created), q.done and ts(q.done)
            g.add[Question]((q.id, g.uuid(q.created), created, asked or created, cid, q.conv,
                             q.text, q.by, asked))

