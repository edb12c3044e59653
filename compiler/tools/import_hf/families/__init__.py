"""One module per model family, each defining its mapper(s) and `Family` record(s); the table of
supported families is capplan.tools.import_hf.registry."""
