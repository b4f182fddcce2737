"""What a write changed.

Every service write returns a ``Changes``; the window's event bus re-emits it so each panel
refreshes only when concerned (the list on customer changes, the timeline on conversation
changes of the shown customer...). Panels never call each other.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum


class Kind(StrEnum):
    CUSTOMER = "customer"
    CONVERSATION = "conversation"
    FOLLOWUP = "followup"
    QUESTION = "question"
    DETAIL = "detail"
    FACT = "fact"
    STYLE = "style"
    UNSAID = "unsaid"
    THING = "thing"
    PURCHASE = "purchase"
    CONTACT = "contact"
    TAG = "tag"
    DRAFT = "draft"
    SETTING = "setting"
    EVERYTHING = "everything"


@dataclass(frozen=True)
class Changes:
    customers: frozenset[int] = field(default_factory=frozenset)
    kinds: frozenset[Kind] = field(default_factory=frozenset)

    @classmethod
    def of(cls, customers: object = (), *kinds: Kind) -> Changes:
        ids = {customers} if isinstance(customers, int) else set(customers)  # type: ignore[arg-type]
        return cls(frozenset(ids), frozenset(kinds))

    @classmethod
    def everything(cls) -> Changes:
        """An outside write or a restore: every panel refreshes."""
        return cls(frozenset(), frozenset({Kind.EVERYTHING}))

    def __or__(self, other: Changes) -> Changes:
        return Changes(self.customers | other.customers, self.kinds | other.kinds)

    def concerns(self, customer_id: int | None = None, *kinds: Kind) -> bool:
        """True when a panel showing ``customer_id`` (None: any) and ``kinds`` must refresh."""
        if Kind.EVERYTHING in self.kinds:
            return True
        if kinds and not (self.kinds & set(kinds)):
            return False
        return customer_id is None or customer_id in self.customers

    def __bool__(self) -> bool:
        return bool(self.customers or self.kinds)
