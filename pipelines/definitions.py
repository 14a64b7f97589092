"""The code location: `dagster dev` (workspace.yaml) and `dagster definitions validate` load this."""

from dagster import Definitions, EnvVar, in_process_executor

from pipelines.io import PublishedInputManager, StageIOManager
from pipelines.jobs import ALL_ASSETS, JOBS, REPORT_ASSETS, discovery_job, reports_job
from pipelines.resources import DataLake, DocumentWork, ExpectationSuites, FetchSettings, SourceCatalog
from pipelines.schedules import SCHEDULES
from pipelines.sensors import SENSORS

__all__ = ["REPORT_ASSETS", "build_definitions", "defs", "discovery_job", "reports_job"]


def build_definitions(lake: DataLake | None = None, catalog: SourceCatalog | None = None,
                      fetch_settings: FetchSettings | None = None,
                      suites: ExpectationSuites | None = None, work: DocumentWork | None = None) -> Definitions:
    """Definitions with the given resources; by default from the environment at run time (.env)."""
    lake = lake or DataLake(root=EnvVar("OGI_DATA_DIR"))
    return Definitions(
        assets=ALL_ASSETS,
        jobs=JOBS,
        schedules=SCHEDULES,
        sensors=SENSORS,
        resources={
            "lake": lake,
            "catalog": catalog or SourceCatalog(path=EnvVar("OGI_CATALOG")),
            "fetch_settings": fetch_settings or FetchSettings(allowed_hosts=EnvVar("OGI_ALLOWED_HOSTS")),
            "expectation_suites": suites or ExpectationSuites(),
            "document_work": work or DocumentWork(),
            "stage_io": StageIOManager(lake=lake),
            "published_input": PublishedInputManager(lake=lake),
        },
        # Steps share one process: the great-expectations import (~4 s) and the stage hand-offs are
        # paid once per run instead of once per step.
        executor=in_process_executor,
    )


defs = build_definitions()
