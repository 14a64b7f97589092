"""ogi: the domain logic of ogi-pipeline (fetch, cleanup, tables, normalisation), free of Dagster."""

# Versions of the code behind each stage: an asset's Dagster code_version, and part of what a cached
# result is keyed by. Bump one when its stage's output for the same input changes.
FETCH_VERSION = "1"
READER_VERSION = "1"  # read + cleanup
PARSER_VERSION = "0.2.0"  # tables, facts, metadata, identities
DATASETS_VERSION = "1"  # normalisation into the published datasets
