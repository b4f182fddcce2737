"""Version 5: the customer list's filter reads one index; a useless index goes.

- customer (name_fold, id, company_fold, archived): the list filter is a substring test
  (``LIKE '%mar%'``) on name and company, in name order, a page at a time. With this
  index SQLite walks names in order and tests both columns without reading the table, so
  a fragment that is rare among 100,000 customers costs one index scan (~10 ms), not a
  table lookup per name (~50 ms). It also serves exact-name lookups (``name_fold = ?``).
- customer (archived) is dropped: two values, so it never narrows anything, and without
  statistics SQLite still prefers it to ``name_fold`` for ``archived = 0 AND name_fold =
  ?`` and scans every active customer (58 ms for ``relnotebook brief NAME``).
- customer (name_fold) is dropped: the new index starts with the same column.
"""


def up(migrator, db):
    db.execute_sql('CREATE INDEX IF NOT EXISTS "customer_name_fold_list" ON "customer" '
                   '("name_fold", "id", "company_fold", "archived")')
    db.execute_sql('DROP INDEX IF EXISTS "customer_archived"')
    db.execute_sql('DROP INDEX IF EXISTS "customer_name_fold"')
