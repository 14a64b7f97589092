"""Reference tables: the data dictionary and the GB/T 2260 divisions, one file each, checked before they are written."""

from dagster import (
    AssetCheckResult,
    AssetCheckSeverity,
    AssetCheckSpec,
    AssetExecutionContext,
    AssetKey,
    AssetSpec,
    MaterializeResult,
    MetadataValue,
    multi_asset,
)

from expectations.validate import gx_frame, validator
from ogi.datasets.reference import dictionary_table, regions_table
from ogi.datasets.registry import REFERENCE
from ogi.versions import code_version
from pipelines.metadata import column_schema
from pipelines.resources import DataLake, ExpectationSuites

BUILDERS = {"dictionary": dictionary_table, "regions": regions_table}


@multi_asset(
    specs=[AssetSpec(AssetKey(name), group_name="reference", kinds={"parquet"}, skippable=True,
                     description=REFERENCE[name].description, code_version=code_version("datasets"),
                     metadata={"dagster/column_schema": column_schema(REFERENCE[name]),
                               "primary_key": ", ".join(REFERENCE[name].primary_key)})
           for name in REFERENCE],
    check_specs=[AssetCheckSpec(f"{name}_contract", asset=AssetKey(name), blocking=True,
                                description=f"`{name}` keeps the registry's contract; it is written only when it does.")
                 for name in REFERENCE],
    can_subset=False,
)
def reference_tables(context: AssetExecutionContext, lake: DataLake, expectation_suites: ExpectationSuites):
    gx = validator(expectation_suites.directory, expectation_suites.parameters())
    warehouse = lake.warehouse()
    for name, build in BUILDERS.items():
        table = build()
        outcome = gx.validate(f"contract_{name}", name, gx_frame(table))
        if outcome.success:
            written = warehouse.write_reference(name, table)
            yield MaterializeResult(asset_key=AssetKey(name), metadata={
                "dagster/row_count": written.rows, "path": MetadataValue.path(warehouse.storage.uri(written.key)),
                "dagster/column_schema": column_schema(REFERENCE[name])})
        else:
            context.log.error(f"{name} breaks its contract and was not written: {[o.expectation for o in outcome.failed]}")
        yield AssetCheckResult(
            asset_key=AssetKey(name), check_name=f"{name}_contract", passed=outcome.success,
            severity=AssetCheckSeverity.ERROR,
            metadata={"expectations_evaluated": outcome.expectations, "rows_evaluated": outcome.evaluated_rows,
                      "failures": MetadataValue.md("\n".join(f"- `{o.expectation}` on `{o.column}`: "
                                                             f"{o.unexpected_count} unexpected" for o in outcome.failed)
                                                   or "none")})
