"""The notebook file (DESIGN.md §8): permissions, pragmas, the mark, refusing foreign files,
migrations, settings and write transactions."""

from __future__ import annotations

import hashlib
import os
import sqlite3
import stat
from pathlib import Path

import pytest
from peewee import OperationalError

from relnotebook.core import db, migrations, settings
from relnotebook.core.errors import StorageError, ValidationError
from relnotebook.core.models import Customer, Setting
from relnotebook.core.storage_errors import classify


def _sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def _pragma(name: str):
    return db.database.execute_sql(f"PRAGMA {name}").fetchone()[0]


def _assert_refused(path: Path, code: str) -> None:
    """Opening ``path`` raises StorageError(code) and leaves the file exactly as it was."""
    before = _sha(path)
    siblings = sorted(p.name for p in path.parent.iterdir())
    with pytest.raises(StorageError) as info:
        db.open_notebook(path)
    assert info.value.code == code
    assert info.value.params["path"] == str(path.resolve())
    assert _sha(path) == before
    assert not Path(f"{path}-wal").exists()
    assert not Path(f"{path}-shm").exists()
    assert sorted(p.name for p in path.parent.iterdir()) == siblings
    assert not db.is_open()


@pytest.fixture(autouse=True)
def _closed():
    yield
    db.close_notebook()


# --- creating and marking -----------------------------------------------------------------


def test_new_notebook_is_private(tmp_path):
    folder = tmp_path / "data" / "relnotebook"
    path = db.open_notebook(folder / "notebook.sqlite")
    assert path == (folder / "notebook.sqlite").resolve()
    assert _mode(folder) == 0o700
    assert _mode(path) == 0o600
    Customer.create(full_name="Ada", name_fold="ada")  # make the -wal exist
    for suffix in ("-wal", "-shm"):
        side = Path(f"{path}{suffix}")
        if side.exists():
            assert _mode(side) == 0o600


def test_pragmas_on_every_connection(notebook):
    assert _pragma("journal_mode") == "wal"
    assert _pragma("synchronous") == 2  # FULL
    assert _pragma("foreign_keys") == 1
    assert _pragma("busy_timeout") == db.BUSY_TIMEOUT_MS > 0
    db.close_notebook()
    db.open_notebook(notebook)  # reopening an existing notebook sets them again
    assert _pragma("journal_mode") == "wal"
    assert _pragma("synchronous") == 2
    assert _pragma("foreign_keys") == 1
    assert _pragma("busy_timeout") == db.BUSY_TIMEOUT_MS


def test_notebook_carries_the_mark(notebook):
    db.close_notebook()
    conn = sqlite3.connect(notebook)
    try:
        assert conn.execute("PRAGMA application_id").fetchone()[0] == db.APPLICATION_ID
        assert conn.execute("PRAGMA user_version").fetchone()[0] == migrations.LATEST_VERSION
    finally:
        conn.close()


def test_reopen_keeps_data(notebook):
    Customer.create(full_name="Ada Lovelace", name_fold="ada lovelace")
    db.close_notebook()
    db.open_notebook(notebook)
    assert [c.full_name for c in Customer.select()] == ["Ada Lovelace"]


def test_missing_file_without_create(tmp_path):
    path = tmp_path / "nothing.sqlite"
    with pytest.raises(StorageError) as info:
        db.open_notebook(path, create=False)
    assert info.value.code == "missing"
    assert not path.exists()


def test_directory_is_refused(tmp_path):
    with pytest.raises(StorageError) as info:
        db.open_notebook(tmp_path)
    assert info.value.code == "is_directory"


def test_empty_file_is_adopted(tmp_path):
    path = tmp_path / "empty.sqlite"
    path.write_bytes(b"")
    db.open_notebook(path)
    assert _pragma("application_id") == db.APPLICATION_ID
    assert _pragma("user_version") == migrations.LATEST_VERSION
    assert Customer.select().count() == 0
    assert _mode(path) == 0o600


def test_empty_sqlite_database_is_adopted(tmp_path):
    path = tmp_path / "blank.sqlite"
    sqlite3.connect(path).close()  # a valid, table-less SQLite file
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA user_version = 0")
    conn.close()
    db.open_notebook(path)
    assert _pragma("application_id") == db.APPLICATION_ID


# --- refusing what is not ours ------------------------------------------------------------


def test_random_bytes_are_refused_untouched(tmp_path):
    path = tmp_path / "random.sqlite"
    path.write_bytes(os.urandom(8192))
    _assert_refused(path, "not_sqlite")


def test_text_file_is_refused_untouched(tmp_path):
    path = tmp_path / "notes.txt"
    path.write_text("Müller called about the quote\n", encoding="utf-8")
    _assert_refused(path, "not_sqlite")


def test_damaged_sqlite_file_is_refused_untouched(tmp_path):
    path = tmp_path / "damaged.sqlite"
    path.write_bytes(db.SQLITE_HEADER + os.urandom(4096))
    with pytest.raises(StorageError):
        db.open_notebook(path)
    assert not Path(f"{path}-wal").exists()


@pytest.mark.parametrize("journal", ["delete", "wal"])
def test_unrelated_sqlite_database_is_refused_untouched(tmp_path, journal):
    path = tmp_path / "other.sqlite"
    conn = sqlite3.connect(path)
    conn.execute(f"PRAGMA journal_mode = {journal}")
    conn.execute("CREATE TABLE invoices (id INTEGER PRIMARY KEY, total REAL)")
    conn.execute("INSERT INTO invoices (total) VALUES (12.5)")
    conn.commit()
    conn.close()
    _assert_refused(path, "not_notebook")


def test_newer_notebook_is_refused_untouched(notebook):
    Customer.create(full_name="Ada", name_fold="ada")
    db.close_notebook()
    conn = sqlite3.connect(notebook)
    conn.execute(f"PRAGMA user_version = {migrations.LATEST_VERSION + 1}")
    conn.commit()
    conn.close()
    with pytest.raises(StorageError) as info:
        db.open_notebook(notebook)
    assert info.value.params["version"] == migrations.LATEST_VERSION + 1
    assert info.value.params["supported"] == migrations.LATEST_VERSION
    _assert_refused(notebook, "too_new")


# --- migrations ---------------------------------------------------------------------------


def _version_one_notebook(path: Path) -> None:
    """A notebook as the first schema version wrote it, with one customer in the v1 shape."""
    db.database.init(str(path), pragmas=db.PRAGMAS)
    db.database.connect()
    try:
        migrations.upgrade(db.database, target=1)
        db.database.pragma("application_id", db.APPLICATION_ID)
        assert _pragma("user_version") == 1
        columns = {c.name for c in db.database.get_columns("customer")}
        assert "nickname" not in columns
        db.database.execute_sql(
            'INSERT INTO customer ("uuid", "created_at", "updated_at", "full_name", '
            '"given_name", "family_name", "name_fold", "company", "company_fold", "title", '
            '"key_client", "cadence_days", "met_where", "introduced_by", "about", "archived") '
            "VALUES ('0190a3f2-0000-7000-8000-000000000001', '2025-01-02 09:00:00', "
            "'2025-01-02 09:00:00', 'Jürgen Müller', 'Jürgen', 'Müller', 'jurgen muller', "
            "'Acme GmbH', 'acme gmbh', 'Buyer', 1, 30, '', '', 'likes jazz', 0)"
        )
    finally:
        db.close_notebook()


def test_version_one_notebook_is_upgraded(tmp_path):
    path = tmp_path / "v1.sqlite"
    _version_one_notebook(path)
    db.open_notebook(path)
    assert _pragma("user_version") == migrations.LATEST_VERSION
    assert _pragma("application_id") == db.APPLICATION_ID
    applied = [r[0] for r in db.database.execute_sql(
        "SELECT name FROM schema_migration ORDER BY name").fetchall()]
    assert [int(name[:4]) for name in applied] == list(range(1, migrations.LATEST_VERSION + 1))
    customer = Customer.get()
    assert customer.uuid == "0190a3f2-0000-7000-8000-000000000001"
    assert (customer.full_name, customer.company, customer.title) == (
        "Jürgen Müller", "Acme GmbH", "Buyer")
    assert customer.key_client and customer.cadence_days == 30
    assert (customer.prefix, customer.nickname, customer.department) == ("", "", "")
    # The new columns work like any other.
    customer.nickname = "Jogi"
    customer.save()
    db.close_notebook()
    db.open_notebook(path)  # already current: opens without migrating again
    assert Customer.get().nickname == "Jogi"


def test_migrated_schema_matches_models(tmp_path):
    """Every model column exists in a notebook built by the migrations alone."""
    from relnotebook.core.models import ALL_MODELS

    db.open_notebook(tmp_path / "n.sqlite")
    for model in ALL_MODELS:
        columns = {c.name for c in db.database.get_columns(model._meta.table_name)}
        assert {f.column_name for f in model._meta.sorted_fields} <= columns, model


def _tables_and_indexes(conn: sqlite3.Connection, tables: set[str]) -> dict[str, object]:
    """Per table: its columns (name, type, not null, primary key) and its indexes (name,
    columns, unique), as SQLite reports them. (The integer primary key is NOT NULL either
    way; 0001_initial.sql spells it AUTOINCREMENT, which peewee's models do not say.)"""
    out: dict[str, object] = {}
    for table in sorted(tables):
        columns = sorted((r[1], r[2].upper(), bool(r[3] or r[5]), r[5])
                         for r in conn.execute(f"PRAGMA table_info('{table}')"))
        indexes = sorted((r[1], tuple(c[2] for c in conn.execute(f"PRAGMA index_info('{r[1]}')")),
                          bool(r[2])) for r in conn.execute(f"PRAGMA index_list('{table}')")
                         if r[3] == "c")  # CREATE INDEX (not the primary key's)
        out[table] = (columns, indexes)
    return out


def test_models_describe_the_schema_the_migrations_make(tmp_path):
    """``models.py`` and the migrations agree on every column and every index (names
    included): tables made from the models equal those of a fresh notebook, which the
    migrations build. A migration that drops or adds an index updates the models too."""
    from peewee import SqliteDatabase

    from relnotebook.core.models import ALL_MODELS

    tables = {m._meta.table_name for m in ALL_MODELS}
    db.open_notebook(tmp_path / "migrated.sqlite")
    db.close_notebook()
    migrated = sqlite3.connect(tmp_path / "migrated.sqlite")
    scratch = SqliteDatabase(str(tmp_path / "from_models.sqlite"))
    try:
        with scratch.bind_ctx(ALL_MODELS):
            scratch.create_tables(ALL_MODELS)
        assert _tables_and_indexes(scratch.connection(), tables) == _tables_and_indexes(
            migrated, tables)
    finally:
        scratch.close()
        migrated.close()


REDUNDANT = ("conversation_customer_id", "follow_up_customer_id", "question_customer_id",
             "personal_detail_customer_id", "sales_fact_customer_id", "purchase_customer_id",
             "style_note_customer_id", "unsaid_customer_id", "thoughtful_thing_customer_id",
             "customer_tag_customer_id", "conversation_topic_conversation_id",
             "conversation_participant_conversation_id")


def _schema(path: Path) -> list[tuple[str, ...]]:
    conn = sqlite3.connect(path)
    try:
        return sorted(conn.execute("SELECT type, name, tbl_name, sql FROM sqlite_master"))
    finally:
        conn.close()


def test_a_version_five_notebook_upgrades_to_the_schema_of_a_fresh_one(tmp_path):
    """Migration 6 drops twelve single-column indexes that a composite index starting with
    the same column covers; the upgraded notebook is exactly a fresh one, data kept."""
    from relnotebook.core import conversations, customers

    old, fresh = tmp_path / "v5.sqlite", tmp_path / "fresh.sqlite"
    db.database.init(str(old), pragmas=db.PRAGMAS)
    db.database.connect()
    try:
        db.database.pragma("application_id", db.APPLICATION_ID)
        migrations.upgrade(db.database, target=5)
        assert _pragma("user_version") == 5
        names = {r[0] for r in db.database.execute_sql(
            "SELECT name FROM sqlite_master WHERE type = 'index'")}
        assert set(REDUNDANT) <= names
    finally:
        db.close_notebook()
    db.open_notebook(old)
    cid = customers.create("Ulla Upgrade")[0].id
    conversations.log(cid, "After the upgrade #indexes\n[ ] check the plans")
    db.close_notebook()
    db.open_notebook(fresh)
    db.close_notebook()
    assert _schema(old) == _schema(fresh)
    assert not set(REDUNDANT) & {row[1] for row in _schema(old)}


# --- settings -----------------------------------------------------------------------------


def test_settings_defaults(notebook):
    for key, option in settings.OPTIONS.items():
        assert settings.get(key) == option.default
    assert settings.get_all() == {k: o.default for k, o in settings.OPTIONS.items()}
    assert settings.get("key_client_cadence_days") == 90
    assert settings.get("purchase_threshold") == 1000.0


def test_settings_typed_set_and_get(notebook):
    changes = settings.set("key_client_cadence_days", "60")
    assert settings.get("key_client_cadence_days") == 60
    assert isinstance(settings.get("key_client_cadence_days"), int)
    assert "setting" in changes.kinds
    settings.set("purchase_threshold", 2500)
    assert settings.get("purchase_threshold") == 2500.0
    assert isinstance(settings.get("purchase_threshold"), float)
    settings.set("key_client_cadence_days", 45)  # overwrite, not a second row
    assert Setting.select().where(Setting.key == "key_client_cadence_days").count() == 1
    assert settings.get_all()["key_client_cadence_days"] == 45
    db.close_notebook()
    db.open_notebook(notebook)
    assert settings.get("key_client_cadence_days") == 45


@pytest.mark.parametrize(
    ("key", "value", "code"),
    [
        ("key_client_cadence_days", 0, "setting_too_small"),
        ("key_client_cadence_days", 100_000, "setting_too_large"),
        ("purchase_threshold", -1, "setting_too_small"),
        ("purchase_checkin_days", "soon", "bad_setting"),
        ("purchase_checkin_days", float("inf"), "bad_setting"),
        ("purchase_threshold", float("nan"), "bad_setting"),
        ("purchase_threshold", "NaN", "bad_setting"),
        ("no_such_setting", 1, "unknown_setting"),
    ],
)
def test_settings_refuse_bad_values(notebook, key, value, code):
    with pytest.raises(ValidationError) as info:
        settings.set(key, value)
    assert info.value.code == code
    assert Setting.select().count() == 0


@pytest.mark.parametrize(
    "stored", ["not json", '"ninety"', "-5", "null", "[1, 2]", "Infinity", "1e999", "NaN"])
def test_damaged_setting_falls_back_to_default(notebook, stored):
    Setting.create(key="key_client_cadence_days", value=stored)
    Setting.create(key="purchase_threshold", value=stored)
    assert settings.get("key_client_cadence_days") == 90
    assert settings.get("purchase_threshold") == 1000.0
    assert settings.get_all()["key_client_cadence_days"] == 90
    assert settings.get_all()["purchase_threshold"] == 1000.0


def test_notebook_uuid_is_made_once(notebook):
    first = settings.notebook_uuid()
    assert len(first) == 36
    assert settings.notebook_uuid() == first


# --- write transactions -------------------------------------------------------------------


def test_writes_begin_immediate(notebook):
    statements: list[str] = []
    db.database.connection().set_trace_callback(statements.append)
    try:
        settings.set("default_call_minutes", 20)
    finally:
        db.database.connection().set_trace_callback(None)
    begins = [s for s in statements if s.upper().startswith("BEGIN")]
    assert begins == ["BEGIN IMMEDIATE"]


def test_write_waits_for_another_writer_and_fails_cleanly(notebook):
    settings.set("default_call_minutes", 20)
    db.database.execute_sql("PRAGMA busy_timeout = 20")  # fail fast instead of 5 seconds
    other = sqlite3.connect(notebook, isolation_level=None)
    try:
        other.execute("BEGIN IMMEDIATE")  # another program holds the write lock
        with pytest.raises(OperationalError) as info:
            settings.set("default_call_minutes", 30)
        known = classify(info.value)
        assert known is not None and known.code == "locked"
        assert not db.database.in_transaction()
        other.execute("ROLLBACK")
    finally:
        other.close()
    assert settings.get("default_call_minutes") == 20  # nothing half-written
    settings.set("default_call_minutes", 30)  # and the next write goes through
    assert settings.get("default_call_minutes") == 30
    assert _pragma("integrity_check") == "ok"
