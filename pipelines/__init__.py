"""The Dagster code location: partitions, resources, IO, jobs and the Definitions.

Kept free of imports: assets import pipelines.partitions and pipelines.definitions imports the
assets, so importing assets from here would be a cycle.
"""
