"""Parse: a cleaned document → tables (canonical cells), prose facts, metadata, identities, one report."""
