"""Who is who during an import: the match keys of the notebook's customers and of the
contacts planned so far (the duplicate check of ``merge.plan_import``).

A contact matches a customer with the same uuid, email, phone number (its digits) or folded
name and company, in that order; the first customer (lowest id) holding a key wins. A shared
email or phone (an office's main line) does not make two people one: it does not match when
both have family names and they differ.

Why it loads what it loads (issue 9): reading every customer and folding every family name
cost 3.3 s of a 10,000-card import into 100,000 customers, more than the cards' own parse.
Now the customers come *by key*: only those whose uuid or folded name one of the contacts
carries, in two indexed queries whatever the notebook's size, and a family name is folded
only when an email or phone match needs it. Emails and phones come in one scan of
``contact_point``: their key (``norm``: case-less email, a phone's digits) is computed in
Python, so no index could find them. A JSON import builds its contacts while it matches
them, so for it every customer is loaded up front (``contacts=None``), as before.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from functools import lru_cache
from typing import Any

from ..db import database
from ..text import fold
from . import ContactData, family_key, norm

_PEOPLE = "SELECT id, uuid, name_fold, company_fold, family_name FROM customer"
_BY_KEY = " WHERE {column} IN (SELECT value FROM json_each(?))"
_POINTS = ("SELECT customer_id, kind, value FROM contact_point "
           "WHERE kind IN ('email', 'phone') ORDER BY id")


def _keyable(kind: str, key: str) -> bool:
    """Only a real email (an @) or a phone of 5 digits or more identifies someone."""
    if kind == "email":
        return "@" in key
    digits = key.lstrip("+")
    return digits.isdigit() and len(digits) >= 5


class MatchIndex:
    """The keys of the notebook's customers (those ``contacts`` could match; None: all of
    them) and of every contact added since, each pointing at its target: a customer id, or
    the ``ContactData`` of a new contact planned earlier in the same import."""

    def __init__(self, contacts: Iterable[ContactData] | None = None) -> None:
        # fold, norm and family_key of the strings an import repeats (a contact's are
        # computed when it is matched, added, absorbed and written), for this import only.
        self.fold = lru_cache(maxsize=None)(fold)
        self.norm = lru_cache(maxsize=None)(norm)
        self._family = lru_cache(maxsize=None)(family_key)
        self.keys: dict[str, dict[str, Any]] = {k: {} for k in ("uuid", "email", "phone",
                                                                 "name")}
        self.family: dict[Any, str] = {}  # target -> family key, filled when first needed
        self._people: dict[int, tuple[str, str, str]] = {}  # id -> (name, family, company)
        wanted: set[str] | None = None
        if contacts is None:
            people = list(database.execute_sql(_PEOPLE + " ORDER BY id"))
        else:
            contacts = list(contacts)
            wanted = {self.norm(p.kind, p.value) for c in contacts for p in c.points
                      if p.kind in ("email", "phone")}
            found: dict[int, tuple[Any, ...]] = {}
            for column, values in (("uuid", {c.uuid for c in contacts if c.uuid}),
                                   ("name_fold", {self.fold(c.full_name) for c in contacts})):
                if values:
                    sql = _PEOPLE + _BY_KEY.format(column=column)
                    found.update((row[0], row) for row in database.execute_sql(
                        sql, (json.dumps(sorted(values), ensure_ascii=False),)))
            people = [found[cid] for cid in sorted(found)]
        for cid, uuid, name, company, family in people:
            self.keys["uuid"][uuid] = cid
            self.keys["name"].setdefault(f"{name}\x00{company}", cid)
            self._people[cid] = (name, family, company)
        self._load_points(wanted)

    def _load_points(self, wanted: set[str] | None) -> None:
        """Every email and phone in one scan, first holder (lowest id) first; with
        ``wanted``, only the keys the contacts carry, and the family of their holders."""
        emails, phones = self.keys["email"], self.keys["phone"]
        if wanted is not None and not wanted:
            return  # no contact has an email or phone: nothing to scan for
        for cid, kind, value in database.execute_sql(_POINTS):
            key = value.strip().casefold() if kind == "email" else norm(kind, value)
            if (wanted is None or key in wanted) and _keyable(kind, key):
                (emails if kind == "email" else phones).setdefault(key, cid)
        if wanted is None:
            return
        missing = sorted({cid for keys in (emails, phones) for cid in keys.values()}
                         - set(self._people))
        if missing:
            for cid, name, family, company in database.execute_sql(
                    "SELECT id, name_fold, family_name, company_fold FROM customer"
                    + _BY_KEY.format(column="id"), (json.dumps(missing),)):
                self._people[cid] = (name, family, company)

    def _family_of(self, target: Any) -> str:
        if not isinstance(target, int):
            return self.family.get(id(target), "")
        if target not in self.family:
            person = self._people.get(target)
            self.family[target] = self._family(*person) if person else ""
        return self.family[target]

    def _put(self, kind: str, value: str, target: Any) -> None:
        key = self.norm(kind, value)
        if _keyable(kind, key):
            self.keys[kind].setdefault(key, target)

    def add(self, contact: ContactData, target: Any) -> None:
        """Later contacts match ``contact``'s keys too, pointing at ``target``."""
        if contact.uuid:
            self.keys["uuid"].setdefault(contact.uuid, target)
        for p in contact.points:
            if p.kind in ("email", "phone"):
                self._put(p.kind, p.value, target)
        self.keys["name"].setdefault(
            f"{self.fold(contact.full_name)}\x00{self.fold(contact.company)}", target)
        if not isinstance(target, int):  # a customer's family is the notebook's own
            self.family.setdefault(id(target), self._family(
                contact.full_name, contact.family_name, contact.company))

    def match(self, contact: ContactData, *, db_only: bool = False) -> tuple[Any, str] | None:
        """(target, how) of the first key of ``contact`` that is known, else None."""
        candidates = [("uuid", contact.uuid)] if contact.uuid else []
        for kind in ("email", "phone"):
            candidates += [(kind, self.norm(kind, p.value)) for p in contact.points
                           if p.kind == kind]
        candidates.append(("name", f"{self.fold(contact.full_name)}\x00"
                                   f"{self.fold(contact.company)}"))
        family = self._family(contact.full_name, contact.family_name, contact.company)
        for kind, key in candidates:
            target = self.keys[kind].get(key)
            if target is None or db_only and not isinstance(target, int):
                continue
            if kind in ("email", "phone"):
                a, b = family.rstrip("."), self._family_of(target).rstrip(".")
                if a and b and not (a.startswith(b) or b.startswith(a)):
                    continue  # "H." may stand for "Holm"
            return target, kind
        return None
