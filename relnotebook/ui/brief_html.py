"""The brief as rich text for the brief panel: sections of DESIGN.md §5, worded via ``tr()``.

Pure functions of a ``Brief`` and a few palette colours, so the panel can re-render on a
resize (one or two columns) or a theme change. Every user-typed text is escaped. Open
follow-ups and questions carry a ``tick:followup:ID`` / ``tick:question:ID`` checkbox link,
the last conversation a ``conversation:ID`` link.

Long lists are folded: a section with more than ``FOLD_AFTER + 2`` rows shows its first
``FOLD_AFTER`` and a ``more:SECTION`` link that unfolds it in place. A rep reads the brief
two minutes before a call; 60 personal details are a page to scroll, not a glance, and the
longest briefs (a customer of 2,000 conversations) were also the slowest to lay out on every
click. Follow-ups and questions are never folded: every promise stays in sight. The text
forms (CLI, Copy brief) stay complete.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from html import escape
from typing import Any

from . import words
from .words import days_ago, fmt, tr


@dataclass(frozen=True)
class Colours:
    text: str
    muted: str
    accent: str
    negative: str
    note: str
    warn_bg: str


NB_HYPHEN = "\u2011"  # a topic chip never breaks at its hyphen
FOLD_AFTER = 8  # rows a folded section shows
FOLDABLE = ("style", "personal", "agenda", "unsaid", "things", "story")


def _e(text: Any) -> str:
    s = text if type(text) is str else str(text)
    # Most texts have nothing to escape: skip html.escape's three passes (a large brief
    # escapes some 600 texts on every customer click).
    return escape(s, quote=False) if "&" in s or "<" in s or ">" in s else s


def stylesheet(c: Colours) -> str:
    """The brief's CSS, set once as the document's default style sheet: the same style
    repeated inline on each of hundreds of rows made Qt parse it hundreds of times on every
    customer click."""
    return (f"h3 {{ color: {c.accent}; margin-top: 16px; margin-bottom: 4px }}"
            " ul { margin-top: 2px; margin-bottom: 4px; margin-left: -18px }"
            " li { margin-bottom: 3px }"
            f" a {{ color: {c.accent} }} a.tick {{ text-decoration: none }}"
            " td.box { font-size: large } td.ticked { padding-top: 2px }"
            f" .m {{ color: {c.muted} }} .bad {{ color: {c.negative}; font-weight: 600 }}"
            f" .topic {{ white-space: nowrap }} .chip {{ background-color: {c.note} }}")


class _Html:
    def __init__(self, c: Colours, unfolded: frozenset[str] = frozenset()) -> None:
        self.c = c
        self.unfolded = unfolded
        self._days: dict[date | None, str] = {}

    def day(self, value: date | None) -> str:
        """``words.day``, once per date and render (the same days recur across sections)."""
        text = self._days.get(value)
        if text is None:
            text = self._days[value] = words.day(value)
        return text

    def muted(self, text: str) -> str:
        return f"<span class='m'>{text}</span>"

    def bad(self, text: str) -> str:
        return f"<span class='bad'>{text}</span>"

    def heading(self, text: str) -> str:
        return f"<h3>{_e(text)}</h3>"

    def sub(self, text: str) -> str:
        return f"<p style='margin-top:8px; margin-bottom:2px'><b>{_e(text)}</b></p>"

    def items(self, rows: list[str], section: str = "") -> str:
        """A bulleted list; folded after ``FOLD_AFTER`` rows when ``section`` is foldable
        and not unfolded (hiding one or two rows behind a link would save nothing)."""
        more = ""
        if section and section not in self.unfolded and len(rows) > FOLD_AFTER + 2:
            link = _e(tr("Show %n more", len(rows) - FOLD_AFTER))
            more = (f"<li style='list-style-type:none'><a href='more:{section}'>{link}…</a>"
                    "</li>")
            rows = rows[:FOLD_AFTER]
        body = "".join(f"<li>{r}</li>" for r in rows)
        return f"<ul>{body}{more}</ul>"

    def ticks(self, rows: list[tuple[str, int, str]]) -> str:
        """Rows of (kind, id, html) with a checkbox link in front."""
        out, tip = [], _e(tr("Tick off"))
        for kind, rid, html in rows:
            box = f"<a href='tick:{kind}:{rid}' class='tick' title='{tip}'>☐</a>"
            out.append(f"<tr><td width='26' valign='top' class='box'>{box}</td>"
                       f"<td valign='top' class='ticked'>{html}</td></tr>")
        return ("<table cellspacing='0' cellpadding='1' style='margin-left:6px'>"
                + "".join(out) + "</table>")

    def alert(self, text: str) -> str:
        return (f"<table width='100%' cellspacing='0' cellpadding='6' style='margin-top:6px; "
                f"margin-bottom:4px; background-color:{self.c.warn_bg}'><tr><td>⚑ {text}</td>"
                "</tr></table>")


def _header(b: Any, h: _Html) -> str:
    hd, parts = b.header, []
    if hd.last_talked is not None:
        parts.append(fmt("Last talked <b>{ago}</b> by {channel} ({day})",
                         ago=_e(days_ago(hd.days_since_talked)),
                         channel=_e(words.channel(hd.last_channel)), day=_e(h.day(hd.last_talked))))
    else:
        parts.append(tr("Not talked yet"))
    if hd.cadence_days_until is not None and hd.cadence_days:
        due = _e(words.days_until(hd.cadence_days_until))
        due = h.bad(due) if hd.cadence_days_until < 0 else f"<b>{due}</b>"
        parts.append(fmt("Contact {due} {every}", due=due, every=h.muted(
            _e(tr("(every %n days)", hd.cadence_days)))))
    lines = [" &nbsp;·&nbsp; ".join(parts)]
    if hd.next_date is not None:
        d = hd.next_date
        lines.append(fmt("Coming up: <b>{text}</b> — {day}, {when}", text=_e(d.text),
                         day=_e(h.day(d.next_on)), when=_e(_until(d.days_until))))
    out = f"<p style='margin-top:0; margin-bottom:4px'>{'<br>'.join(lines)}</p>"
    for r in b.reminders:
        if r.kind == "talk_most":
            out += h.alert(fmt("You did most of the talking in {n} of the last {m} "
                               "conversations — <b>let them lead</b>.", n=r.count,
                               m=r.out_of or r.count))
        elif r.kind == "unanswered":
            out += h.alert(fmt("<b>{n} unanswered attempts</b> since {day} ({channels}). "
                               "Persistence pays — vary the channel.", n=r.count,
                               day=_e(h.day(r.since)),
                               channels=_e(", ".join(words.channel(c) for c in r.channels))))
    return out


def _until(n: int) -> str:
    return {0: tr("today"), 1: tr("tomorrow")}.get(n, tr("in %n days", n))


def _style(b: Any, h: _Html) -> str:
    s, rows = b.style, []
    manner = ", ".join(x for x in (words.formality(s.formality), words.pace(s.pace)) if x)
    if manner:
        rows.append(_e(manner[0].upper() + manner[1:]))
    if s.preferred_channel:
        rows.append(fmt("Prefers <b>{ch}</b>", ch=_e(words.channel(s.preferred_channel))))
    if s.best_time:
        rows.append(fmt("Best time: {t}", t=_e(s.best_time)))
    if s.typical_minutes is not None or not s.planned_is_default:
        line = fmt("Plan <b>{p}</b>", p=_e(words.minutes(s.planned_minutes)))
        if s.typical_minutes is not None:
            line += h.muted(fmt(" · usually {t} over {n}", t=_e(words.minutes(s.typical_minutes)),
                                n=_e(tr("%n logged conversations", s.logged_count))))
        rows.append(line)
    if s.small_talk is not None:
        rows.append(tr("Small talk welcome") if s.small_talk else tr("No small talk"))
    if s.avoid_topics:
        rows.append(fmt("Avoid: {t}", t=h.bad(_e(s.avoid_topics))))
    if s.lead_notes:
        rows.append(fmt("Let them lead: {t}", t=_e(s.lead_notes)))
    rows += [_e(note) for note in s.notes]
    return h.heading(tr("How they like to talk")) + h.items(rows, "style") if rows else ""


def _followup(f: Any, h: _Html) -> str:
    text = _e(f.text)
    if f.due is None or f.days_overdue is None:
        return text
    if f.days_overdue > 0:
        return f"{text} — " + h.bad(_e(tr("overdue by %n days", f.days_overdue)))
    when = tr("due today") if f.days_overdue == 0 else fmt("due {day}", day=h.day(f.due))
    return f"{text} — " + h.muted(_e(when))


def _pick_up(b: Any, h: _Html) -> str:
    out = ""
    last = b.last_conversation
    if last is not None:
        link = f"<a href='conversation:{last.conversation_id}'>{_e(h.day(last.on))}</a>"
        summary = _e(last.summary) if last.summary else h.muted(_e(tr("(no summary)")))
        lead = fmt("Last time ({day}, {channel}):", day=link,
                   channel=_e(words.channel(last.channel)))
        out += f"<p style='margin-top:2px'>{lead} {summary}</p>"
    for title, items in ((tr("I owe"), b.i_owe), (tr("They owe"), b.they_owe)):
        if items:
            out += h.sub(title) + h.ticks([("followup", f.id, _followup(f, h)) for f in items])
    if b.questions:
        out += h.sub(tr("Questions to ask")) + h.ticks(
            [("question", q.id, _e(q.text)) for q in b.questions])
    return h.heading(tr("Pick up where you left off")) + out if out else ""


def _topics(b: Any, h: _Html) -> str:
    if not b.topics:
        return ""
    chips = []
    for t in b.topics:
        times = f" ×{t.times}" if t.times > 1 else ""
        chips.append(f"<span class='topic'><span class='chip'>&nbsp;#"
                     f"{_e(t.name).replace('-', NB_HYPHEN)}&nbsp;</span>&nbsp;"
                     f"{h.muted(_e(h.day(t.on) + times))}</span>")
    joined = " &nbsp; ".join(chips)
    return h.heading(tr("Last topics")) + f"<p style='line-height:150%'>{joined}</p>"


def _personal(b: Any, h: _Html) -> str:
    """Upcoming dates first (few, and bound to a day), then the details, most recently
    mentioned first, folded."""
    dated = {d.detail_id for d in b.upcoming}
    rows = [fmt("<b>{kind}:</b> {text} — {day}, {when}", kind=_e(words.detail_kind(d.kind)),
                text=_e(d.text), day=_e(h.day(d.next_on)), when=_e(_until(d.days_until)))
            for d in b.upcoming]
    rows += [f"<b>{_e(words.detail_kind(d.kind))}:</b> {_e(d.text)} "
             + h.muted(_e(fmt("(mentioned {day})", day=h.day(d.mentioned_on))))
             for d in b.details if d.id not in dated]
    return h.heading(tr("Personal")) + h.items(rows, "personal") if rows else ""


def agenda_order(facts: Any) -> list[Any]:
    """The newest fact of each kind first (hot button, timeline, need... in the core's
    order), then the older ones: folded, the section still says what drives their buying
    in one line per kind."""
    newest: dict[str, Any] = {}
    for f in facts:  # the core sorts each kind newest first
        newest.setdefault(f.kind, f)
    leads = list(newest.values())
    chosen = {id(f) for f in leads}
    return leads + [f for f in facts if id(f) not in chosen]


def _agenda(b: Any, h: _Html) -> str:
    rows = []
    for f in agenda_order(b.their_agenda):
        age = h.muted(_e(f"({days_ago(f.age_days)}" + (", " + tr("assumed") if f.assumed
                                                     else "") + ")"))
        confirm = " " + h.bad(_e(tr("confirm"))) if f.needs_confirm else ""
        rows.append(f"<b>{_e(words.fact_kind(f.kind))}:</b> {_e(f.text)} {age}{confirm}")
    return h.heading(tr("Their agenda")) + h.items(rows, "agenda") if rows else ""


def _purchase(p: Any, h: _Html) -> str:
    what = f" — {_e(p.description)}" if p.description else ""
    return f"{_e(h.day(p.on))}: <b>{_e(f'{p.amount:,.2f} {p.currency}'.strip())}</b>{what}"


def _rest(b: Any, h: _Html) -> str:
    out = ""
    if b.unsaid:
        out += h.heading(tr("Unsaid")) + h.items(
            [f"{_e(u.text)} {h.muted(_e(h.day(u.on)))}" for u in b.unsaid], "unsaid")
    things = []
    if b.last_sent is not None:  # first: it tells what not to send again
        t = b.last_sent
        sent = fmt("Last sent {day}: {t}", day=_e(h.day(t.sent_on)), t=_e(t.text))
        things.append(sent + (h.muted(_e(fmt(" — reaction: {r}", r=t.reaction)))
                              if t.reaction else ""))
    things += [fmt("Idea: {t}", t=_e(t.text)) + (f" {h.muted(_e(t.url))}" if t.url else "")
               for t in b.ideas]
    if things:
        out += h.heading(tr("Thoughtful things")) + h.items(things, "things")
    rows = []
    if b.last_purchase is not None:
        rows.append(fmt("Last: {p}", p=_purchase(b.last_purchase, h)) + h.muted(
            _e(" (" + days_ago(b.last_purchase.days_ago) + ", "
               + tr("%n purchases in all", b.purchase_count) + ")")))
    if b.checkin is not None:
        rows.append(h.bad(_e(tr("Check in after this purchase — no call since"))) + " "
                    + h.muted(_e(words.days_until(-b.checkin.days_overdue))))
    if rows:
        out += h.heading(tr("Purchases")) + h.items(rows)
    return out + _story(b, h)


def _story(b: Any, h: _Html) -> str:
    st, rows = b.story, []
    met = ", ".join(x for x in (fmt("on {d}", d=h.day(st.met_on)) if st.met_on else "",
                               fmt("at {w}", w=st.met_where) if st.met_where else "",
                               fmt("introduced by {p}", p=st.introduced_by)
                               if st.introduced_by else "") if x)
    if met:
        rows.append(_e(fmt("Met {how}", how=met)))
    if st.first_talked is not None and rows:
        rows.append(_e(fmt("First talked {d}", d=h.day(st.first_talked))))
    if st.first_purchase is not None:
        rows.append(fmt("First purchase {p}", p=_purchase(st.first_purchase, h)))
    rows += [f"★ {_e(h.day(m.on))} ({_e(words.channel(m.channel))}): {_e(m.summary)}"
             for m in st.milestones]
    return h.heading(tr("Our story")) + h.items(rows, "story") if rows else ""


def render(brief: Any, colours: Colours, columns: int = 1,
           unfolded: frozenset[str] = frozenset()) -> str:
    """The whole brief as HTML; ``columns=2`` flows the later sections into a right column;
    the sections in ``unfolded`` (``FOLDABLE`` names) show every row."""
    h = _Html(colours, unfolded)
    left = _style(brief, h) + _pick_up(brief, h) + _topics(brief, h)
    right = _personal(brief, h) + _agenda(brief, h) + _rest(brief, h)
    head = _header(brief, h)
    if not (left or right):
        body = f"<p>{h.muted(_e(tr('Nothing noted yet. Log a conversation to start.')))}</p>"
    elif columns == 2 and left and right:
        body = ("<table width='100%' cellspacing='0' cellpadding='0'><tr>"
                f"<td width='50%' valign='top' style='padding-right:18px'>{left}</td>"
                f"<td width='50%' valign='top' style='padding-left:18px'>{right}</td>"
                "</tr></table>")
    else:
        body = left + right
    return f"<div style='color:{colours.text}'>{head}{body}</div>"
