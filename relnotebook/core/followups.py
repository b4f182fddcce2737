"""Ticking off follow-ups and questions, and snoozing follow-ups.

Each write returns the previous value with its ``Changes`` so the window's undo stack can
put it back exactly (a re-ticked follow-up gets its original ``done_at`` again).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from .changes import Changes, Kind
from .clock import utc_now
from .db import write
from .errors import NotFound, ValidationError
from .models import FollowUp, Question


@dataclass(frozen=True)
class FollowUpView:
    id: int
    customer_id: int
    owner: str  # me / them
    text: str
    due: date | None
    done_at: datetime | None
    conversation_id: int | None


def _followup(followup_id: int) -> FollowUp:
    row = FollowUp.get_or_none(FollowUp.id == followup_id)
    if row is None:
        raise NotFound("followup", id=followup_id)
    return row


def get(followup_id: int) -> FollowUpView:
    f = _followup(followup_id)
    return FollowUpView(f.id, f.customer_id, f.owner, f.text, f.due, f.done_at,
                        f.conversation_id)


def set_done(followup_id: int, done_at: datetime | None | bool = True
             ) -> tuple[datetime | None, Changes]:
    """Tick (``True``/a moment) or untick (``None``/``False``); returns the previous done_at."""
    moment = utc_now() if done_at is True else (None if done_at is False else done_at)
    with write():
        row = _followup(followup_id)
        previous = row.done_at
        FollowUp.update(done_at=moment, updated_at=utc_now()).where(
            FollowUp.id == followup_id).execute()
    return previous, Changes.of(row.customer_id, Kind.FOLLOWUP)


def set_due(followup_id: int, due: date | None) -> tuple[date | None, Changes]:
    """Snooze (a new due date) or clear it; returns the previous due date."""
    if due is not None and not isinstance(due, date):
        raise ValidationError("bad_date", value=str(due))
    with write():
        row = _followup(followup_id)
        previous = row.due
        FollowUp.update(due=due, updated_at=utc_now()).where(FollowUp.id == followup_id).execute()
    return previous, Changes.of(row.customer_id, Kind.FOLLOWUP)


def set_asked(question_id: int, asked_at: datetime | None | bool = True
              ) -> tuple[datetime | None, Changes]:
    """Mark a question asked (or not); returns the previous asked_at."""
    moment = utc_now() if asked_at is True else (None if asked_at is False else asked_at)
    with write():
        row = Question.get_or_none(Question.id == question_id)
        if row is None:
            raise NotFound("question", id=question_id)
        previous = row.asked_at
        Question.update(asked_at=moment, updated_at=utc_now()).where(
            Question.id == question_id).execute()
    return previous, Changes.of(row.customer_id, Kind.QUESTION)
