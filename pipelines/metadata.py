"""The registry's datasets as Dagster sees them: column schemas with each field's meaning."""

from __future__ import annotations

from dagster import TableColumn, TableColumnConstraints, TableSchema

from ogi.datasets.registry import Dataset


def column_schema(dataset: Dataset) -> TableSchema:
    """`dagster/column_schema` of a dataset: name, Arrow type, description, nullability, allowed values."""
    columns = []
    for f in dataset.fields:
        other = []
        if f.allowed:
            other.append("one of: " + ", ".join(f.allowed))
        if f.minimum is not None:
            other.append(f">= {f.minimum}")
        if f.maximum is not None:
            other.append(f"<= {f.maximum}")
        if f.unit:
            other.append(f"unit: {f.unit}")
        columns.append(TableColumn(
            name=f.name, type=str(f.type), description=f.description,
            constraints=TableColumnConstraints(nullable=f.nullable, unique=dataset.primary_key == (f.name,),
                                               other=other),
        ))
    return TableSchema(columns=columns)
