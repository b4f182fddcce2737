"""The notebook's tables (DESIGN.md §3).

Every table has an integer primary key (fast joins, FTS5 rowids) and a ``uuid`` made in
Python (time-ordered), plus ``created_at``/``updated_at`` in naive UTC. Nothing outside the
database refers to integer ids. Models are the core's private business: the UI only sees
the frozen dataclasses the service modules return.

Ids are AUTOINCREMENT (see 0001_initial.sql): an undone delete puts rows back under their
old ids, so an id must never be handed to a newer row in the meantime.

Schema changes go through ``core/migrations`` (numbered steps); these classes describe the
newest schema and are never used to create tables directly; a test builds the tables from
them and compares columns and indexes with a notebook the migrations made.
"""

from __future__ import annotations

from peewee import (
    BlobField,
    BooleanField,
    CharField,
    DateField,
    DateTimeField,
    DecimalField,
    ForeignKeyField,
    IntegerField,
    Model,
    TextField,
)

from .clock import utc_now
from .db import database
from .ids import new_uuid


class BaseModel(Model):
    uuid = CharField(max_length=36, unique=True, default=new_uuid)
    created_at = DateTimeField(default=utc_now)
    updated_at = DateTimeField(default=utc_now)

    class Meta:
        database = database
        legacy_table_names = False


class Customer(BaseModel):
    full_name = TextField()
    given_name = TextField(default="")
    family_name = TextField(default="")
    prefix = TextField(default="")
    nickname = TextField(default="")
    name_fold = TextField()  # fold(full_name); indexed with the list columns (migration 0005)
    company = TextField(default="")
    department = TextField(default="")
    company_fold = TextField(default="")
    title = TextField(default="")
    photo = BlobField(null=True)
    key_client = BooleanField(default=False)
    cadence_days = IntegerField(null=True)
    met_on = DateField(null=True)
    met_where = TextField(default="")
    introduced_by = TextField(default="")
    about = TextField(default="")
    archived = BooleanField(default=False)  # not indexed: see migration 0005
    # Denormalised: the last *reached* conversation (as main customer or participant), kept by
    # the conversations service so the list sorts and filters 100k customers without a join.
    last_reached_at = DateTimeField(null=True, index=True)


# The list's filter walks this index without reading the table (migration 0005).
Customer.add_index(Customer.index(Customer.name_fold, Customer.id, Customer.company_fold,
                                  Customer.archived, name="customer_name_fold_list"))


class ContactPoint(BaseModel):
    customer = ForeignKeyField(Customer, backref="contact_points", on_delete="CASCADE")
    kind = CharField(max_length=16)  # email, phone, address, url, social
    label = TextField(default="")
    value = TextField()
    preferred = BooleanField(default=False)


class StyleProfile(BaseModel):
    customer = ForeignKeyField(Customer, unique=True, backref="style", on_delete="CASCADE")
    formality = CharField(max_length=16, default="")  # formal / neutral / informal
    pace = CharField(max_length=16, default="")  # all-business / balanced / chatty
    preferred_channel = CharField(max_length=16, default="")
    best_time = TextField(default="")
    planned_minutes = IntegerField(null=True)
    lead_notes = TextField(default="")  # "let them lead" notes
    small_talk = BooleanField(null=True)
    avoid_topics = TextField(default="")
    notes = TextField(default="")  # typed on the card; +style: lines live in StyleNote


class Conversation(BaseModel):
    # Not indexed alone: (customer, happened_at) starts with it (migration 0006).
    customer = ForeignKeyField(Customer, backref="conversations", on_delete="CASCADE",
                               index=False)
    happened_at = DateTimeField()
    channel = CharField(max_length=16, default="call")
    reached = BooleanField(default=True)
    started_by = CharField(max_length=8, default="")  # me / them
    talk = CharField(max_length=8, default="")  # who talked most: them / both / me
    minutes = IntegerField(null=True)
    planned_minutes = IntegerField(null=True)
    summary = TextField(default="")
    body = TextField(default="")
    mood = CharField(max_length=16, default="")
    milestone = BooleanField(default=False)

    class Meta:
        indexes = ((("customer", "happened_at"), False),
                   (("customer", "reached", "happened_at"), False))


class ConversationParticipant(BaseModel):
    conversation = ForeignKeyField(Conversation, backref="participants", on_delete="CASCADE",
                                   index=False)  # the unique (conversation, customer) serves
    customer = ForeignKeyField(Customer, backref="participations", on_delete="CASCADE")

    class Meta:
        indexes = ((("conversation", "customer"), True),)


class Topic(BaseModel):
    name = TextField()
    fold = TextField(unique=True)


class ConversationTopic(BaseModel):
    conversation = ForeignKeyField(Conversation, backref="topic_links", on_delete="CASCADE",
                                   index=False)  # the unique (conversation, topic) serves
    topic = ForeignKeyField(Topic, backref="conversation_links", on_delete="CASCADE")

    class Meta:
        indexes = ((("conversation", "topic"), True),)


class _CustomerRecord(BaseModel):
    """A record about one customer that a conversation's note may have produced.

    ``customer`` has no index of its own: every record table has a composite index that
    starts with it (``Meta.indexes`` of each), which serves every lookup (migration 0006).
    """

    customer = ForeignKeyField(Customer, on_delete="CASCADE", index=False)
    conversation = ForeignKeyField(Conversation, null=True, on_delete="CASCADE")
    text = TextField()


class FollowUp(_CustomerRecord):
    owner = CharField(max_length=8, default="me")  # me / them
    due = DateField(null=True)
    done_at = DateTimeField(null=True)
    closed_in = ForeignKeyField(
        Conversation, null=True, backref="closed_followups", on_delete="SET NULL"
    )

    class Meta:
        indexes = ((("customer", "due"), False), (("due",), False),
                   (("done_at", "due"), False))


class Question(_CustomerRecord):
    asked_in = ForeignKeyField(
        Conversation, null=True, backref="asked_questions", on_delete="SET NULL"
    )
    asked_at = DateTimeField(null=True)

    class Meta:
        indexes = ((("customer", "created_at"), False),)


class PersonalDetail(_CustomerRecord):
    kind = CharField(max_length=16, default="other")
    day = IntegerField(null=True)
    month = IntegerField(null=True)
    year = IntegerField(null=True)
    mentioned_at = DateTimeField(default=utc_now)

    class Meta:
        indexes = ((("customer", "mentioned_at"), False), (("month", "day"), False))


class SalesFact(_CustomerRecord):
    kind = CharField(max_length=16)  # hot_button, timeline, need, expectation, agenda
    confirmed_at = DateTimeField(default=utc_now)
    assumed = BooleanField(default=False)

    class Meta:
        indexes = ((("customer", "confirmed_at"), False),)


class StyleNote(_CustomerRecord):
    """A ``+style:`` line: kept as its own row so the conversation that said it owns it."""

    class Meta:
        indexes = ((("customer", "created_at"), False),)


class Unsaid(_CustomerRecord):
    class Meta:
        indexes = ((("customer", "created_at"), False),)


class ThoughtfulThing(_CustomerRecord):
    url = TextField(default="")
    status = CharField(max_length=8, default="idea")  # idea / sent
    sent_at = DateTimeField(null=True)
    reaction = TextField(default="")

    class Meta:
        indexes = ((("customer", "sent_at"), False),)


class Purchase(BaseModel):
    customer = ForeignKeyField(Customer, backref="purchases", on_delete="CASCADE",
                               index=False)  # (customer, date, amount) serves
    date = DateField()
    amount = DecimalField(max_digits=14, decimal_places=2, auto_round=True)
    currency = CharField(max_length=8, default="")
    description = TextField(default="")

    class Meta:
        indexes = ((("customer", "date", "amount"), False),)


class Draft(BaseModel):
    customer = ForeignKeyField(Customer, null=True, unique=True, on_delete="CASCADE")
    body = TextField(default="")
    started_at = DateTimeField(default=utc_now)
    saved_at = DateTimeField(default=utc_now)


class Setting(BaseModel):
    key = CharField(max_length=64, unique=True)
    value = TextField()  # JSON


class Erasure(BaseModel):
    """Only the uuid of an erased customer: re-applied when an older backup is restored."""

    customer_uuid = CharField(max_length=36, unique=True)


class Tag(BaseModel):
    name = TextField()
    fold = TextField(unique=True)


class CustomerTag(BaseModel):
    customer = ForeignKeyField(Customer, backref="tag_links", on_delete="CASCADE",
                               index=False)  # the unique (customer, tag) serves
    tag = ForeignKeyField(Tag, backref="customer_links", on_delete="CASCADE")

    class Meta:
        indexes = ((("customer", "tag"), True),)


ALL_MODELS: tuple[type[BaseModel], ...] = (
    Customer, ContactPoint, StyleProfile, Conversation, ConversationParticipant, Topic,
    ConversationTopic, FollowUp, Question, PersonalDetail, SalesFact, StyleNote, Unsaid,
    ThoughtfulThing, Purchase, Draft, Setting, Erasure, Tag, CustomerTag,
)
"""Every table, parents before children (the order exports and restores use)."""

# Records a conversation's note can produce, each owned by the conversation that said it.
NOTE_RECORDS: tuple[type[_CustomerRecord], ...] = (
    FollowUp, Question, PersonalDetail, SalesFact, StyleNote, Unsaid, ThoughtfulThing,
)
