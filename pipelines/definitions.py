"""The code location: `dagster dev` (workspace.yaml) and `dagster definitions validate` load this."""

from dagster import AssetSelection, Definitions, EnvVar, define_asset_job, in_process_executor

from assets.cleaned import clean_documents
from assets.datasets import datasets, staged_datasets
from assets.discovery import discovered_reports
from assets.parsed import parsed_reports
from assets.raw import raw_documents
from assets.reference import reference_tables
from assets.summary import national_summary
from pipelines.io import PublishedInputManager, StageIOManager
from pipelines.partitions import REGION_PARTITIONS, REPORT_PARTITIONS, YEAR_PARTITIONS
from pipelines.resources import DataLake, ExpectationSuites, FetchSettings, SourceCatalog

REPORT_ASSETS = [raw_documents, clean_documents, parsed_reports, staged_datasets, datasets]
ALL_ASSETS = [discovered_reports, *REPORT_ASSETS, reference_tables, national_summary]

discovery_job = define_asset_job(
    "discovery_job",
    selection=AssetSelection.assets(discovered_reports),
    partitions_def=REGION_PARTITIONS,
    description="Crawl the catalog's listing pages of a range of regions for annual reports (once per region).",
)
reference_job = define_asset_job(
    "reference_job",
    selection=AssetSelection.assets(reference_tables),
    description="Write the reference tables (data dictionary, GB/T 2260 divisions since 2008).",
)
summary_job = define_asset_job(
    "summary_job",
    selection=AssetSelection.assets(national_summary),
    partitions_def=YEAR_PARTITIONS,
    description="The national summary of a statistics year (headline figures by province, with a chart).",
)
reports_job = define_asset_job(
    "reports_job",
    selection=AssetSelection.assets(*REPORT_ASSETS),
    partitions_def=REPORT_PARTITIONS,
    description="Fetch, clean, parse, stage, check and publish the reports of a range of partitions in one run.",
)


def build_definitions(lake: DataLake | None = None, catalog: SourceCatalog | None = None,
                      fetch_settings: FetchSettings | None = None,
                      suites: ExpectationSuites | None = None) -> Definitions:
    """Definitions with the given resources; by default from the environment at run time (.env)."""
    lake = lake or DataLake(root=EnvVar("OGI_DATA_DIR"))
    return Definitions(
        assets=ALL_ASSETS,
        jobs=[discovery_job, reports_job, reference_job, summary_job],
        resources={
            "lake": lake,
            "catalog": catalog or SourceCatalog(path=EnvVar("OGI_CATALOG")),
            "fetch_settings": fetch_settings or FetchSettings(allowed_hosts=EnvVar("OGI_ALLOWED_HOSTS")),
            "expectation_suites": suites or ExpectationSuites(),
            "stage_io": StageIOManager(lake=lake),
            "published_input": PublishedInputManager(lake=lake),
        },
        # Steps share one process: the great-expectations import (~4 s) and the stage hand-offs are
        # paid once per run instead of once per step.
        executor=in_process_executor,
    )


defs = build_definitions()
