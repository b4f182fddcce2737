"""The tables a demo notebook fills and the shape of their rows.

Split out of ``demo.py`` so the generator (``demo_people``, ``demo_notes``) and the bulk writer
(``demo_writer``) share one definition of which values each row tuple holds, in which order,
without importing each other.
"""

from __future__ import annotations

from .models import (
    ContactPoint,
    Conversation,
    ConversationParticipant,
    ConversationTopic,
    Customer,
    CustomerTag,
    Draft,
    Erasure,
    FollowUp,
    PersonalDetail,
    Purchase,
    Question,
    SalesFact,
    Setting,
    StyleNote,
    StyleProfile,
    Tag,
    ThoughtfulThing,
    Topic,
    Unsaid,
)

DAY = 86400
_BASE = "id uuid created_at updated_at "
_REC = _BASE + "customer conversation text "
# Tables in the order they are written (parents first), with the columns each tuple holds.
COLUMNS = {
    Customer: _BASE + "full_name given_name family_name prefix nickname name_fold company "
    "department company_fold title key_client cadence_days met_on met_where introduced_by about "
    "archived last_reached_at",
    Tag: _BASE + "name fold",
    Topic: _BASE + "name fold",
    ContactPoint: _BASE + "customer kind label value preferred",
    StyleProfile: _BASE + "customer formality pace preferred_channel best_time planned_minutes "
    "lead_notes small_talk avoid_topics notes",
    CustomerTag: _BASE + "customer tag",
    Conversation: _BASE + "customer happened_at channel reached started_by talk minutes "
    "planned_minutes summary body mood milestone",
    ConversationParticipant: _BASE + "conversation customer",
    ConversationTopic: _BASE + "conversation topic",
    FollowUp: _REC + "owner due done_at closed_in",
    Question: _REC + "asked_in asked_at",
    PersonalDetail: _REC + "kind day month year mentioned_at",
    SalesFact: _REC + "kind confirmed_at assumed",
    StyleNote: _REC,
    Unsaid: _REC,
    ThoughtfulThing: _REC + "url status sent_at reaction",
    Purchase: _BASE + "customer date amount currency description",
    Draft: _BASE + "customer body started_at saved_at",
    Setting: _BASE + "key value",
    Erasure: _BASE + "customer_uuid",
}
