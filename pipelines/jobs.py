"""The code location's jobs (kept apart from definitions.py so schedules and sensors can name them)."""

from dagster import AssetSelection, define_asset_job

from assets.cleaned import clean_documents
from assets.datasets import datasets, staged_datasets
from assets.discovery import discovered_reports
from assets.parsed import parsed_reports
from assets.raw import raw_documents
from assets.reference import reference_tables
from assets.summary import national_summary
from pipelines.partitions import REGION_PARTITIONS, REPORT_PARTITIONS, YEAR_PARTITIONS

REPORT_ASSETS = [raw_documents, clean_documents, parsed_reports, staged_datasets, datasets]
ALL_ASSETS = [discovered_reports, *REPORT_ASSETS, reference_tables, national_summary]

discovery_job = define_asset_job(
    "discovery_job",
    selection=AssetSelection.assets(discovered_reports),
    partitions_def=REGION_PARTITIONS,
    description="Crawl the catalog's listing pages of a range of regions for annual reports (once per region).",
)
reports_job = define_asset_job(
    "reports_job",
    selection=AssetSelection.assets(*REPORT_ASSETS),
    partitions_def=REPORT_PARTITIONS,
    description="Fetch, clean, parse, stage, check and publish the reports of a range of partitions in one run.",
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
JOBS = [discovery_job, reports_job, reference_job, summary_job]
