"""Datasets: the registry of datasets and fields, the rows of each report, and write-audit-publish."""
