"""Version 4: indexes today's list leans on at 100,000 customers.

- follow_up (done_at, due): open follow-ups by due date without reading the done ones;
- purchase (customer_id, date, amount): the post-purchase check-in reads the index only;
- conversation (customer_id, reached, happened_at): the last *reached* conversation as of a day.
"""


def up(migrator, db):
    db.execute_sql('CREATE INDEX IF NOT EXISTS "follow_up_done_at_due" '
                   'ON "follow_up" ("done_at", "due")')
    db.execute_sql('CREATE INDEX IF NOT EXISTS "purchase_customer_id_date_amount" '
                   'ON "purchase" ("customer_id", "date", "amount")')
    db.execute_sql('DROP INDEX IF EXISTS "purchase_customer_id_date"')
    db.execute_sql('CREATE INDEX IF NOT EXISTS "conversation_customer_id_reached_happened_at" '
                   'ON "conversation" ("customer_id", "reached", "happened_at")')
