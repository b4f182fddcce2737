"""Exporting to Markdown: one file per customer, the brief and the whole history.

Each file opens with the brief as ``relnotebook brief --format markdown`` prints it (as of
``today``), then everything on record: the card (contact points, tags, how we met, style),
every personal detail, sales fact, follow-up (open and done), question, unsaid, thoughtful
thing and purchase, and every conversation oldest first with its note as typed. File names
are the folded name (``asa-lindqvist.md``), numbered when two people share one.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from datetime import date
from pathlib import Path
from typing import Any

from ..clock import local_day
from ..clock import today as local_today
from ..models import (
    ContactPoint,
    Conversation,
    ConversationParticipant,
    ConversationTopic,
    Customer,
    CustomerTag,
    FollowUp,
    PersonalDetail,
    Purchase,
    Question,
    SalesFact,
    StyleNote,
    StyleProfile,
    Tag,
    ThoughtfulThing,
    Topic,
    Unsaid,
)
from . import ExportFailed
from .export_files import write_file


def _day(moment: Any) -> str:
    if hasattr(moment, "hour"):
        return local_day(moment).isoformat()
    return moment.isoformat() if hasattr(moment, "isoformat") else str(moment or "")


def _brief(customer_id: int, today: date) -> list[str]:
    try:
        from ..brief_render import to_markdown
        from ..briefing import brief_for
    except ImportError:  # pragma: no cover - the brief arrives with its own issue
        return []
    return [to_markdown(brief_for(customer_id, today)).rstrip(), ""]


def _section(title: str, lines: Iterable[str]) -> list[str]:
    body = [line for line in lines if line]
    return ["", f"## {title}", "", *body] if body else []


def _when(day: Any, month: Any, year: Any) -> str:
    if not (day and month):
        return ""
    return f" ({year:04d}-{month:02d}-{day:02d})" if year else f" (--{month:02d}-{day:02d})"


def customer_markdown(customer_id: int, today: date | None = None) -> str:
    today = today or local_today()
    c = Customer.get_by_id(customer_id)
    out = _brief(customer_id, today) or [f"# {c.full_name}", ""]
    out += ["", "# Everything on record", "", f"- Name: {c.full_name}"]
    for label, value in (("Prefix", c.prefix), ("Nickname", c.nickname),
                         ("Company", c.company), ("Department", c.department),
                         ("Title", c.title), ("Met on", c.met_on), ("Met where", c.met_where),
                         ("Introduced by", c.introduced_by),
                         ("Key client", "yes" if c.key_client else ""),
                         ("Cadence", f"{c.cadence_days} days" if c.cadence_days else ""),
                         ("Archived", "yes" if c.archived else ""), ("Added", _day(c.created_at)),
                         ("Id", c.uuid)):
        if value:
            out.append(f"- {label}: {value}")
    points = ContactPoint.select().where(ContactPoint.customer == c.id).order_by(ContactPoint.id)
    out += _section("Contact", (f"- {p.kind}{' (' + p.label + ')' if p.label else ''}"
                                f"{' [preferred]' if p.preferred else ''}: {p.value}"
                                for p in points))
    tags = (Tag.select(Tag.name).join(CustomerTag).where(CustomerTag.customer == c.id)
            .order_by(Tag.fold).tuples())
    out += _section("Tags", [", ".join(name for (name,) in tags)])
    out += _section("About", [c.about])
    style = StyleProfile.get_or_none(StyleProfile.customer == c.id)
    if style is not None:
        out += _section("Style", (f"- {name.replace('_', ' ')}: {getattr(style, name)}"
                                  for name in ("formality", "pace", "preferred_channel",
                                               "best_time", "planned_minutes", "lead_notes",
                                               "small_talk", "avoid_topics", "notes")
                                  if getattr(style, name) not in (None, "")))
    out += _section("Style notes", _records(StyleNote, c.id, lambda r: r.text))
    out += _section("Personal details", _records(
        PersonalDetail, c.id, lambda r: f"{r.kind}: {r.text}{_when(r.day, r.month, r.year)}"))
    out += _section("Sales facts", _records(
        SalesFact, c.id, lambda r: f"{r.kind.replace('_', ' ')}: {r.text}"
                                   f"{' (assumed)' if r.assumed else ''}"
                                   f" — confirmed {_day(r.confirmed_at)}"))
    out += _section("Follow-ups", _records(
        FollowUp, c.id, lambda r: f"[{'x' if r.done_at else ' '}] "
                                  f"{'they owe' if r.owner == 'them' else 'I owe'}: {r.text}"
                                  f"{' (due ' + _day(r.due) + ')' if r.due else ''}"
                                  f"{' (done ' + _day(r.done_at) + ')' if r.done_at else ''}"))
    out += _section("Questions", _records(
        Question, c.id, lambda r: r.text + (f" (asked {_day(r.asked_at)})" if r.asked_at
                                            else "")))
    out += _section("Unsaid", _records(Unsaid, c.id, lambda r: r.text))
    out += _section("Thoughtful things", _records(
        ThoughtfulThing, c.id, lambda r: f"{r.text}{' <' + r.url + '>' if r.url else ''} — "
                                         f"{r.status}{' ' + _day(r.sent_at) if r.sent_at else ''}"
                                         f"{'; reaction: ' + r.reaction if r.reaction else ''}"))
    out += _section("Purchases", (f"- {_day(p.date)}: {p.amount} {p.currency}"
                                  f"{' — ' + p.description if p.description else ''}"
                                  for p in Purchase.select().where(Purchase.customer == c.id)
                                  .order_by(Purchase.date, Purchase.id)))
    out += _history(c.id)
    return "\n".join(out).rstrip() + "\n"


def _records(model: Any, customer_id: int, words: Any) -> list[str]:
    return [f"- {words(r)}" for r in model.select().where(model.customer == customer_id)
            .order_by(model.created_at, model.id)]


def _history(customer_id: int) -> list[str]:
    part = ConversationParticipant
    joined = part.select(part.conversation).where(part.customer == customer_id)
    convs = list(Conversation.select().where((Conversation.customer == customer_id)
                                             | Conversation.id.in_(joined))
                 .order_by(Conversation.happened_at, Conversation.id))
    if not convs:
        return []
    topics: dict[int, list[str]] = {}
    for conv_id, name in (ConversationTopic.select(ConversationTopic.conversation, Topic.name)
                          .join(Topic).where(ConversationTopic.conversation.in_(
                              [c.id for c in convs])).tuples()):
        topics.setdefault(conv_id, []).append(name)
    out = ["", "## History", ""]
    for conv in convs:
        bits = [conv.channel if conv.reached else f"unanswered {conv.channel}"]
        if conv.minutes:
            bits.append(f"{conv.minutes} min")
        if conv.customer_id != customer_id:
            bits.append(f"with {conv.customer.full_name}")
        if conv.milestone:
            bits.append("milestone")
        out += [f"### {_day(conv.happened_at)} — {', '.join(bits)}", ""]
        if conv.id in topics:
            out += ["Topics: " + ", ".join(f"#{t}" for t in topics[conv.id]), ""]
        if conv.body.strip():
            out += [conv.body.rstrip(), ""]
        elif conv.summary:
            out += [conv.summary, ""]
    return out


def export(folder: str | os.PathLike[str], today: date | None = None,
           customer_ids: Iterable[int] | None = None) -> list[Path]:
    """One Markdown file per customer in ``folder`` (created); returns the files written."""
    from .export_json import file_stem

    target = Path(folder).expanduser()
    try:
        target.mkdir(parents=True, exist_ok=True, mode=0o700)
    except OSError as exc:
        raise ExportFailed("cannot_write", path=str(target),
                           detail=exc.strerror or str(exc)) from exc
    query = Customer.select(Customer.id, Customer.full_name).order_by(Customer.name_fold,
                                                                      Customer.id)
    if customer_ids is not None:
        query = query.where(Customer.id.in_(list(customer_ids)))
    written, used = [], set()
    for cid, name in query.tuples():
        stem = base = file_stem(name)
        n = 1
        while stem in used:
            n += 1
            stem = f"{base}-{n}"
        used.add(stem)
        written.append(write_file(target / f"{stem}.md", [customer_markdown(cid, today)]))
    return written
