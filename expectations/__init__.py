"""great-expectations suites (suites/*.json) and the runner that validates dataset frames with them.

GX is imported lazily inside `validate`: importing it costs ~4 s, which every Dagster code-location
load and `ogi parse` would otherwise pay.
"""
