"""Version 2: name prefix ("Dr."), nickname and department, which address books carry."""

from peewee import TextField


def up(migrator, db):
    migrator.migrate(
        migrator.add_column("customer", "prefix", TextField(default="")),
        migrator.add_column("customer", "nickname", TextField(default="")),
        migrator.add_column("customer", "department", TextField(default="")),
    )
