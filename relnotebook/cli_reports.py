"""Reading verbs: brief, today, search, demo (registered on import)."""
