"""Import, export and erase verbs (registered on import)."""
