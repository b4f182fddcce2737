"""The notebook itself: storage, records and what is computed from them.

Pure Python and peewee. Nothing under ``relnotebook.core`` may import Qt: the command line
uses the core alone (so ``relnotebook brief`` starts fast) and a test guards the rule.
"""
