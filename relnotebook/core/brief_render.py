"""The brief (and today's list) in plain English: text, Markdown and JSON.

What ``relnotebook brief`` prints and "Copy brief" copies: short lines, a heading per section,
empty sections left out, dates in ISO. The window words the same dataclasses itself through
``tr()``; this module is the CLI's and the clipboard's voice.

JSON (``to_json``/``to_dict``) carries ``schema_version`` (``SCHEMA_VERSION``), the day it was
computed for (``as_of``) and every section, empty ones included; dates are ISO strings,
amounts decimal strings ("12500.00"), and no integer row ids (only the customer's uuid):
nothing outside the notebook refers to row ids.
"""

from __future__ import annotations

import dataclasses
import json
from datetime import date
from decimal import Decimal
from typing import Any

from .agenda import AgendaEntry, ImportantDate, Reason, ReasonKind
from .briefing import Brief, OpenFollowUp, PurchaseInfo

SCHEMA_VERSION = 1

_FACT_LABELS = {"hot_button": "Hot button", "timeline": "Purchase timeline", "need": "Need",
                "expectation": "Expects", "agenda": "Their agenda"}
_PACE = {"all-business": "all business", "all_business": "all business"}


# --- words -----------------------------------------------------------------------------------


def _n(count: int, word: str) -> str:
    return f"{count} {word}" if count == 1 else f"{count} {word}s"


def ago(days: int) -> str:
    """"today", "yesterday", "12 days ago" (a future day: "in 3 days")."""
    if days == 0:
        return "today"
    if days == 1:
        return "yesterday"
    return f"{_n(days, 'day')} ago" if days > 0 else f"in {_n(-days, 'day')}"


def until(days: int) -> str:
    """"today", "tomorrow", "in 4 days"."""
    return {0: "today", 1: "tomorrow"}.get(days, f"in {_n(days, 'day')}")


def due_words(days_overdue: int) -> str:
    """"overdue by 3 days", "due today", "due in 2 days" (``days_overdue`` = today - due)."""
    if days_overdue > 0:
        return f"overdue by {_n(days_overdue, 'day')}"
    return "due today" if days_overdue == 0 else f"due {until(-days_overdue)}"


def money(amount: Decimal, currency: str) -> str:
    return f"{amount:,.2f} {currency}".strip()


def _followup(f: OpenFollowUp) -> str:
    if f.due is None or f.days_overdue is None:
        return f.text
    when = due_words(f.days_overdue)
    return f"{f.text}: {when}" + ("" if f.days_overdue == 0 else f" ({f.due.isoformat()})")


def _purchase(p: PurchaseInfo) -> str:
    """"12,500.00 EUR (licences) on 2026-02-18"."""
    what = f" ({p.description})" if p.description else ""
    return f"{money(p.amount, p.currency)}{what} on {p.on.isoformat()}"


def _date(d: ImportantDate) -> str:
    return f"{until(d.days_until)} ({d.next_on.isoformat()}): {d.text}"


def reason_text(reason: Reason) -> str:
    """One of today's reasons in plain English (the CLI's ``today``)."""
    p = reason.as_dict()
    kind = reason.kind
    if kind == ReasonKind.FOLLOWUP_DUE:
        return f"follow-up {due_words(p['days_overdue'])}: {p['text']}"
    if kind == ReasonKind.THEIR_FOLLOWUP_OVERDUE:
        return (f"nudge: they promised \"{p['text']}\", {due_words(p['days_overdue'])}"
                f" ({p['due'].isoformat()})")
    if kind == ReasonKind.CADENCE:
        last = p["last_talked"]
        since = f"last talked {last.isoformat()}" if last else "never talked"
        return (f"time to call: {due_words(p['days_overdue'])}"
                f" (every {_n(p['cadence_days'], 'day')}, {since})")
    if kind == ReasonKind.PURCHASE_CHECKIN:
        what = f" ({p['description']})" if p["description"] else ""
        return (f"check in after their purchase of {money(p['amount'], p['currency'])}{what}"
                f" on {p['purchase_date'].isoformat()}: no call since")
    if kind == ReasonKind.IMPORTANT_DATE:
        return f"coming up {until(p['days_until'])} ({p['next_on'].isoformat()}): {p['text']}"
    return str(kind)


def agenda_to_text(entries: tuple[AgendaEntry, ...]) -> str:
    """Today's list: one block per customer, the name, then one line per reason."""
    blocks = []
    for e in entries:
        name = f"{e.full_name} ({e.company})" if e.company else e.full_name
        lines = [name + (" · key client" if e.key_client else "")]
        lines += [f"  - {reason_text(r)}" for r in e.reasons]
        blocks.append("\n".join(lines))
    return "\n\n".join(blocks) + ("\n" if blocks else "")


# --- sections --------------------------------------------------------------------------------

# A section is (title, lines); a line is ("text"|"item"|"sub"|"alert", words).
_Section = tuple[str, list[tuple[str, str]]]


def _header_lines(b: Brief) -> list[tuple[str, str]]:
    h, lines = b.header, []
    who = ", ".join(x for x in (h.title, h.company) if x)
    if who or h.key_client:
        lines.append(("text", who + (" · key client" if h.key_client else "")))
    if h.last_talked is not None and h.days_since_talked is not None:
        lines.append(("text", f"Last talked {ago(h.days_since_talked)}"
                      f" ({h.last_talked.isoformat()}, {h.last_channel})"))
    else:
        lines.append(("text", "Not talked yet"))
    if h.cadence_days_until is not None and h.cadence_days is not None:
        lines.append(("text", f"Contact {due_words(-h.cadence_days_until)}"
                      f" (every {_n(h.cadence_days, 'day')})"))
    if h.next_date is not None:
        lines.append(("text", f"Coming up {_date(h.next_date)}"))
    for r in b.reminders:
        if r.kind == "talk_most":
            lines.append(("alert", f"You did most of the talking in {r.count} of the last"
                          f" {r.out_of} conversations: let them lead."))
        elif r.kind == "unanswered" and r.since is not None:
            lines.append(("alert", f"{r.count} unanswered attempts since {r.since.isoformat()}"
                          f" ({', '.join(r.channels)}): keep at it, vary the channel."))
    return lines


def _style_lines(b: Brief) -> list[tuple[str, str]]:
    s, lines = b.style, []
    manner = ", ".join(x for x in (s.formality, _PACE.get(s.pace, s.pace)) if x)
    if manner:
        lines.append(("item", manner[0].upper() + manner[1:]))
    reach = "; ".join(x for x in (f"prefers {s.preferred_channel}" if s.preferred_channel
                                  else "", f"best time: {s.best_time}" if s.best_time else "")
                      if x)
    if reach:
        lines.append(("item", reach[0].upper() + reach[1:]))
    if s.typical_minutes is not None or not s.planned_is_default:
        length = f"Call length: plan {s.planned_minutes} min"
        if s.typical_minutes is not None:
            length += (f"; usually {s.typical_minutes:g} min"
                       f" ({_n(s.logged_count, 'conversation')} logged)")
        lines.append(("item", length))
    if s.small_talk is not None:
        lines.append(("item", "Small talk welcome" if s.small_talk else "No small talk"))
    if s.avoid_topics:
        lines.append(("item", f"Avoid: {s.avoid_topics}"))
    if s.lead_notes:
        lines.append(("item", f"Let them lead: {s.lead_notes}"))
    lines += [("item", note) for note in s.notes]
    return lines


def _pick_up_lines(b: Brief) -> list[tuple[str, str]]:
    lines = []
    if b.last_conversation is not None:
        c = b.last_conversation
        lines.append(("text", f"Last time ({c.on.isoformat()}, {c.channel})"
                      + (f": {c.summary}" if c.summary else "")))
    for title, items in (("I owe", b.i_owe), ("They owe", b.they_owe)):
        if items:
            lines.append(("sub", title))
            lines += [("item", _followup(f)) for f in items]
    if b.questions:
        lines.append(("sub", "Ask"))
        lines += [("item", q.text) for q in b.questions]
    return lines


def _sections(b: Brief) -> list[_Section]:
    listed_dates = {d.detail_id for d in b.upcoming}
    personal = [("item", f"{d.kind}: {d.text}") for d in b.details
                if d.id not in listed_dates]
    personal += [("item", f"Coming up {_date(d)}") for d in b.upcoming]
    agenda = [("item", f"{_FACT_LABELS.get(f.kind, f.kind)}: {f.text} ({ago(f.age_days)}"
               + (", assumed" if f.assumed else "") + (") — confirm" if f.needs_confirm
                                                        else ")"))
              for f in b.their_agenda]
    things = [("item", f"Idea: {t.text}" + (f" {t.url}" if t.url else "")) for t in b.ideas]
    if b.last_sent is not None:
        t = b.last_sent
        things.append(("item", "Last sent" + (f" {t.sent_on.isoformat()}" if t.sent_on else "")
                       + f": {t.text}" + (f" (reaction: {t.reaction})" if t.reaction else "")))
    purchases = []
    if b.last_purchase is not None:
        count = _n(b.purchase_count, "purchase")
        purchases.append(("item", f"Last: {_purchase(b.last_purchase)}"
                          f", {ago(b.last_purchase.days_ago)} ({count} in all)"))
    if b.checkin is not None:
        late = due_words(b.checkin.days_overdue)
        purchases.append(("alert", f"Check in: no call since they bought"
                          f" {_purchase(b.checkin.purchase)} ({late})"))
    st, story = b.story, []
    met = ", ".join(x for x in (f"on {st.met_on.isoformat()}" if st.met_on else "",
                               f"at {st.met_where}" if st.met_where else "",
                               f"introduced by {st.introduced_by}" if st.introduced_by else "")
                   if x)
    if met:
        story.append(("item", f"Met {met}"))
    if st.first_talked is not None and (met or st.first_purchase or st.milestones):
        story.append(("item", f"First talked {st.first_talked.isoformat()}"))
    if st.first_purchase is not None:
        story.append(("item", f"First purchase: {_purchase(st.first_purchase)}"))
    story += [("item", f"{m.on.isoformat()} ({m.channel}): {m.summary}") for m in st.milestones]
    return [
        ("How they like to talk", _style_lines(b)),
        ("Pick up where you left off", _pick_up_lines(b)),
        ("Last topics", [("item", f"{t.name} ({t.on.isoformat()}"
                          + (f", {t.times} times)" if t.times > 1 else ")")) for t in b.topics]),
        ("Personal", personal),
        ("Their agenda", agenda),
        ("Unsaid", [("item", f"{u.text} ({u.on.isoformat()})") for u in b.unsaid]),
        ("Thoughtful things", things),
        ("Purchases", purchases),
        ("Our story", story),
    ]


def to_text(brief: Brief) -> str:
    out = [brief.header.full_name]
    for style, words in _header_lines(brief):
        out.append(f"! {words}" if style == "alert" else words)
    for title, lines in _sections(brief):
        if not lines:
            continue
        out += ["", title.upper()]
        for style, words in lines:
            out.append({"item": f"- {words}", "sub": f"{words}:", "alert": f"! {words}"}
                       .get(style, words))
    return "\n".join(out) + "\n"


def to_markdown(brief: Brief) -> str:
    out = [f"# {brief.header.full_name}", ""]
    for style, words in _header_lines(brief):
        out.append(f"> **{words}**" if style == "alert" else f"- {words}")
    for title, lines in _sections(brief):
        if not lines:
            continue
        out += ["", f"## {title}", ""]
        for style, words in lines:
            out.append({"item": f"- {words}", "sub": f"\n**{words}**\n",
                        "alert": f"- **{words}**"}.get(style, words))
    return "\n".join(out) + "\n"


# --- JSON ------------------------------------------------------------------------------------


def _plain(value: Any) -> Any:
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: _plain(getattr(value, f.name)) for f in dataclasses.fields(value)
                if f.name != "id" and not f.name.endswith("_id")}
    if isinstance(value, (tuple, list)):
        return [_plain(v) for v in value]
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return f"{value:.2f}"
    return value


def to_dict(brief: Brief) -> dict[str, Any]:
    """The brief as JSON-ready data (see the module docstring), grouped as §5 reads."""
    b = _plain(brief)
    return {
        "schema_version": SCHEMA_VERSION,
        "as_of": b["today"],
        "customer": {k: b["header"][k] for k in ("uuid", "full_name", "company", "title",
                                                   "key_client")},
        "header": {k: v for k, v in b["header"].items()
                   if k not in ("uuid", "full_name", "company", "title", "key_client")},
        "reminders": b["reminders"],
        "style": b["style"],
        "pick_up": {k: b[k] for k in ("last_conversation", "i_owe", "they_owe", "questions")},
        "last_topics": b["topics"],
        "personal": {"details": b["details"], "upcoming": b["upcoming"]},
        "their_agenda": b["their_agenda"],
        "unsaid": b["unsaid"],
        "thoughtful": {"ideas": b["ideas"], "last_sent": b["last_sent"]},
        "purchases": {"last": b["last_purchase"], "count": b["purchase_count"],
                      "checkin": b["checkin"]},
        "our_story": b["story"],
    }


def to_json(brief: Brief) -> str:
    return json.dumps(to_dict(brief), ensure_ascii=False, indent=2) + "\n"
