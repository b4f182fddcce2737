"""Version 1: the first schema, frozen as SQL (0001_initial.sql), never regenerated."""

from pathlib import Path


def up(migrator, db):
    script = (Path(__file__).with_suffix(".sql")).read_text(encoding="utf-8")
    for statement in script.split(";\n"):
        if statement.strip():
            db.execute_sql(statement)
