"""Thin Dagster assets, one module per stage: fetch → cleanup → parse → datasets (checked, published)."""
