"""Resources: where data lives, the source catalog, fetch politeness, expectation suites.

Configuration comes from the environment at run time through `EnvVar` (definitions.py), never at
import: `.env` in the project folder (read by `dagster dev` and by `ogi materialize`) gives the
defaults — OGI_DATA_DIR=data, OGI_CATALOG=corpus/catalog.csv, OGI_ALLOWED_HOSTS=*.gov.cn.
"""

from __future__ import annotations

import os
from pathlib import Path

from dagster import ConfigurableResource

from expectations.validate import SUITES_DIR
from ogi.datasets.history import BodyHistory
from ogi.datasets.storage import Storage
from ogi.datasets.warehouse import StageFiles, Warehouse
from ogi.fetch.catalog import Catalog, CatalogEntry, apply_overrides, load_catalog_with_errors
from ogi.fetch.log import FetchLog
from ogi.fetch.policy import FetchPolicy, parse_host_patterns
from ogi.fetch.store import RawStore
from ogi.overrides import Override, load_overrides
from ogi.work.stage import WorkLimits
from pipelines.locations import local_state_dir

PROJECT_ROOT = Path(__file__).resolve().parents[1]
# The Dagster pool of every step that fetches (discovered_reports, raw_documents): its limit, set in the
# instance (dagster.yaml `concurrency: pools: default_limit`, or `dagster instance concurrency set ogi_fetch N`),
# is how many such steps run at once across all runs.
FETCH_POOL = "ogi_fetch"


def _absolute(path: str) -> Path:
    """A configured path; a relative one is taken from the working directory at run time."""
    return Path(path).expanduser().absolute()


def is_uri(root: str) -> bool:
    """An object-storage location (s3://bucket/prefix), not a local folder."""
    return "://" in root and not root.startswith("file://")


class DataLake(ConfigurableResource):
    """Folders under one data root: raw bytes, stage files, published warehouse, fetch state.

    The root is a local folder (OGI_DATA_DIR=data) or object storage (OGI_DATA_DIR=s3://bucket/prefix,
    credentials and endpoint from the AWS_* variables): raw store, stages and warehouse live there.
    The fetch state (per-host lock files, the fetch log of ETags) needs a real file system: `state_dir`,
    by default `<root>/state`, or for object storage a local folder per data root (see
    pipelines.runs.local_state_dir) — give several workers one shared volume here (OGI_STATE_DIR).
    """

    root: str
    state_dir: str | None = None

    @property
    def remote(self) -> bool:
        return is_uri(self.root)

    @property
    def root_path(self) -> Path:
        """The local root folder (for object storage: its local state folder)."""
        if self.remote:
            return local_state_dir(self.root)
        return _absolute(self.root.removeprefix("file://"))

    def location(self, name: str) -> str:
        """A folder below the root, as a path or URI (what Storage and RawStore take)."""
        return f"{self.root.rstrip('/')}/{name}" if self.remote else str(self.root_path / name)

    @property
    def raw_store(self) -> RawStore:
        return RawStore(self.location("raw"))

    @property
    def state(self) -> Path:
        if self.state_dir:
            return _absolute(self.state_dir)
        if self.remote and os.environ.get("OGI_STATE_DIR"):
            return _absolute(os.environ["OGI_STATE_DIR"])
        return self.root_path / "state"

    @property
    def stages(self) -> Path | str:
        return self.location("stages") if self.remote else self.root_path / "stages"

    @property
    def warehouse_path(self) -> Path | str:
        return self.location("warehouse") if self.remote else self.root_path / "warehouse"

    def stage_files(self) -> StageFiles:
        return StageFiles(Storage(self.stages))

    def warehouse(self) -> Warehouse:
        return Warehouse(Storage(self.warehouse_path))

    def body_history(self) -> BodyHistory:
        """Each body's figures by year, for the continuity checks of the year after."""
        return BodyHistory(Storage(self.location("history")))

    def fetch_log(self, name: str = "fetch-log.jsonl") -> FetchLog:
        """The domain's record of every fetch: the previous ETag/Last-Modified of each URL."""
        return FetchLog(self.state / name)


class SourceCatalog(ConfigurableResource):
    """The CSV of documents to fetch (OGI_CATALOG; the bundled corpus/catalog.csv by default), and the
    overrides file reviewed beside it (`overrides.csv` in the catalog's folder unless configured)."""

    path: str
    overrides_path: str | None = None

    def overrides(self) -> dict[str, list[Override]]:
        path = _absolute(self.overrides_path) if self.overrides_path else self.base_dir / "overrides.csv"
        return load_overrides(path)

    def load(self) -> Catalog:
        """The catalog's good rows, with the region and year overrides applied (they decide the partition),
        and the rows skipped, each with its file:line and problem."""
        loaded = load_catalog_with_errors(_absolute(self.path))
        return Catalog(apply_overrides(loaded.entries, self.overrides()), loaded.errors)

    def entries(self) -> list[CatalogEntry]:
        """The catalog's good rows, with the region and year overrides applied (they decide the partition)."""
        return self.load().entries

    @property
    def base_dir(self) -> Path:
        return _absolute(self.path).resolve().parent


class FetchSettings(ConfigurableResource):
    """Politeness and guards for http(s) sources; local bundled files ignore them."""

    allowed_hosts: str = "*.gov.cn"
    min_interval_seconds: float = 1.0
    max_concurrency_per_host: int = 2
    max_attempts: int = 4
    connect_timeout: float = 10.0
    read_timeout: float = 30.0
    # A transient failure (ogi.fetch.sources.TRANSIENT_KINDS) of a document fetched fine before retries the
    # whole fetch step this many times, this long apart, instead of publishing less.
    outage_retries: int = 3
    outage_retry_seconds: float = 300.0
    # The bounds of ogi.fetch.policy.FetchPolicy (README, "Fetching: bounds"); None keeps its default.
    request_seconds: float | None = None  # total deadline of one request attempt (connect + headers + body)
    url_seconds: float | None = None  # all attempts and backoff of one URL
    host_retry_budget: int | None = None
    breaker_failures: int | None = None
    breaker_seconds: float | None = None
    breaker_cooldown: float | None = None
    respect_robots: bool = True
    # Hosts resolving to loopback/private addresses are refused unless allowed (None: OGI_ALLOW_PRIVATE_ADDRESSES).
    allow_private_addresses: bool | None = None

    def policy(self, state_dir: Path) -> FetchPolicy:
        optional = {"max_seconds": self.request_seconds, "url_seconds": self.url_seconds,
                    "host_retry_budget": self.host_retry_budget, "breaker_failures": self.breaker_failures,
                    "breaker_seconds": self.breaker_seconds, "breaker_cooldown": self.breaker_cooldown,
                    "allow_private_addresses": self.allow_private_addresses}
        return FetchPolicy(
            allowed_hosts=parse_host_patterns(self.allowed_hosts),
            min_interval=self.min_interval_seconds,
            max_concurrency=self.max_concurrency_per_host,
            max_attempts=self.max_attempts,
            connect_timeout=self.connect_timeout,
            read_timeout=self.read_timeout,
            respect_robots=self.respect_robots,
            state_dir=state_dir,
            **{k: v for k, v in optional.items() if v is not None},
        )


class DocumentWork(ConfigurableResource):
    """How the read and parse stages run each document: worker processes (None: one per core; 0: in the
    step's process, no limits, for a debugger) and each document's wall-clock and memory limits. A document
    over a limit is a failed row (`time_limit`, `memory_limit`, `reader_crashed`), the others proceed."""

    workers: int | None = None
    document_seconds: float = 60.0
    document_memory_mib: int = 1024

    def limits(self) -> WorkLimits:
        return WorkLimits(workers=self.workers, seconds=self.document_seconds, memory_mib=self.document_memory_mib)


class ExpectationSuites(ConfigurableResource):
    """Folder of great-expectations suites as JSON (expectations/suites by default), and their thresholds."""

    directory: str = str(SUITES_DIR)
    # A partition whose fetched documents could not be read or parsed in a larger share is held back:
    # something structural (a site redesign, a reader bug) is wrong, not a fact about the sources.
    max_unreadable_share: float = 0.5
    # Rows of a dataset validated at once. A GX validation costs ~0.25 s whatever its size (building its
    # metric graph), so small chunks make GX dominate; a chunk is held as a pandas frame while it is
    # validated (5,000 reports: 50,000 rows → GX 21% of the run, peak 1.27 GiB; 100,000 → 17%, 1.36 GiB;
    # 200,000 → 14%, 1.55 GiB).
    chunk_rows: int = 100_000

    def parameters(self) -> dict[str, float]:
        return {"min_readable_share": 1.0 - self.max_unreadable_share}
