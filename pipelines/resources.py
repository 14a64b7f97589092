"""Resources: where data lives, the source catalog, fetch politeness, expectation suites.

Configuration comes from the environment at run time through `EnvVar` (definitions.py), never at
import: `.env` in the project folder (read by `dagster dev` and by `ogi materialize`) gives the
defaults — OGI_DATA_DIR=data, OGI_CATALOG=corpus/catalog.csv, OGI_ALLOWED_HOSTS=*.gov.cn.
"""

from __future__ import annotations

from pathlib import Path

from dagster import ConfigurableResource

from expectations.validate import SUITES_DIR
from ogi.datasets.storage import Storage
from ogi.datasets.warehouse import StageFiles, Warehouse
from ogi.fetch.catalog import CatalogEntry, apply_overrides, load_catalog
from ogi.fetch.log import FetchLog
from ogi.fetch.policy import FetchPolicy, parse_host_patterns
from ogi.fetch.store import RawStore
from ogi.overrides import Override, load_overrides

PROJECT_ROOT = Path(__file__).resolve().parents[1]


def _absolute(path: str) -> Path:
    """A configured path; a relative one is taken from the working directory at run time."""
    return Path(path).expanduser().absolute()


class DataLake(ConfigurableResource):
    """Folders under one data root: raw bytes, stage files, published warehouse, fetch state."""

    root: str

    @property
    def root_path(self) -> Path:
        return _absolute(self.root)

    @property
    def raw_store(self) -> RawStore:
        return RawStore(self.root_path / "raw")

    @property
    def state(self) -> Path:
        return self.root_path / "state"

    @property
    def stages(self) -> Path:
        return self.root_path / "stages"

    @property
    def warehouse_path(self) -> Path:
        return self.root_path / "warehouse"

    def stage_files(self) -> StageFiles:
        return StageFiles(Storage(self.stages))

    def warehouse(self) -> Warehouse:
        return Warehouse(Storage(self.warehouse_path))

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

    def entries(self) -> list[CatalogEntry]:
        """The catalog's rows, with the region and year overrides applied (they decide the partition)."""
        return apply_overrides(load_catalog(_absolute(self.path)), self.overrides())

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

    def policy(self, state_dir: Path) -> FetchPolicy:
        return FetchPolicy(
            allowed_hosts=parse_host_patterns(self.allowed_hosts),
            min_interval=self.min_interval_seconds,
            max_concurrency=self.max_concurrency_per_host,
            max_attempts=self.max_attempts,
            connect_timeout=self.connect_timeout,
            read_timeout=self.read_timeout,
            state_dir=state_dir,
        )


class ExpectationSuites(ConfigurableResource):
    """Folder of great-expectations suites as JSON (expectations/suites by default), and their thresholds."""

    directory: str = str(SUITES_DIR)
    # A partition whose fetched documents could not be read or parsed in a larger share is held back:
    # something structural (a site redesign, a reader bug) is wrong, not a fact about the sources.
    max_unreadable_share: float = 0.5

    def parameters(self) -> dict[str, float]:
        return {"min_readable_share": 1.0 - self.max_unreadable_share}
