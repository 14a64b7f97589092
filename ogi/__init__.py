"""ogi: the domain logic of ogi-pipeline (fetch, cleanup, tables, normalisation), free of Dagster."""

PARSER_VERSION = "0.1.0"
