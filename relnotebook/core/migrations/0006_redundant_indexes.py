"""Version 6: twelve indexes that another index already covers go (issue 9: logging).

Each dropped index has one column, and the same table has a composite index that starts
with that column, so SQLite answers every lookup the single-column index served (``WHERE
customer_id = ?``, a foreign key's cascade, a join) from the composite one, in the same
order. Dropping them costs no query its index; it saves a b-tree page written per row
inserted: logging a note dirtied ~70 pages, six of them in these indexes.

- ``<table>_customer_id`` on conversation, customer_tag, follow_up, personal_detail,
  purchase, question, sales_fact, style_note, thoughtful_thing and unsaid: covered by
  (customer_id, happened_at | tag_id | due | mentioned_at | date, amount | created_at |
  confirmed_at | sent_at);
- ``conversation_topic_conversation_id`` and ``conversation_participant_conversation_id``:
  covered by the unique (conversation_id, topic_id | customer_id).

``tests/core/test_structure_perf.py`` checks the query plans that used them.
"""

DROPPED = (
    "conversation_customer_id",
    "customer_tag_customer_id",
    "follow_up_customer_id",
    "personal_detail_customer_id",
    "purchase_customer_id",
    "question_customer_id",
    "sales_fact_customer_id",
    "style_note_customer_id",
    "thoughtful_thing_customer_id",
    "unsaid_customer_id",
    "conversation_topic_conversation_id",
    "conversation_participant_conversation_id",
)


def up(migrator, db):
    for name in DROPPED:
        db.execute_sql(f'DROP INDEX IF EXISTS "{name}"')
