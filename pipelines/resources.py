"""Resources: where data lives, the source catalog, fetch politeness, expectation suites."""

from __future__ import annotations

import os
from pathlib import Path

from dagster import ConfigurableResource

from expectations.validate import SUITES_DIR
from ogi.fetch.catalog import CatalogEntry, load_catalog
from ogi.fetch.policy import FetchPolicy, parse_host_patterns
from ogi.fetch.store import RawStore

PROJECT_ROOT = Path(__file__).resolve().parents[1]


def default_data_dir() -> str:
    return os.environ.get("OGI_DATA_DIR") or str(Path.cwd() / "data")


def default_catalog() -> str:
    if os.environ.get("OGI_CATALOG"):
        return os.environ["OGI_CATALOG"]
    bundled = PROJECT_ROOT / "corpus" / "catalog.csv"
    return str(bundled if bundled.exists() else Path.cwd() / "corpus" / "catalog.csv")


class DataLake(ConfigurableResource):
    """Folders under one data root: raw bytes, stage files, staging area, published warehouse."""

    root: str = default_data_dir()

    @property
    def raw_store(self) -> RawStore:
        return RawStore(Path(self.root) / "raw")

    @property
    def stages(self) -> Path:
        return Path(self.root) / "stages"

    @property
    def staging(self) -> Path:
        return Path(self.root) / "staging"

    @property
    def warehouse(self) -> Path:
        return Path(self.root) / "warehouse"

    @property
    def state(self) -> Path:
        return Path(self.root) / "state"


class SourceCatalog(ConfigurableResource):
    """The CSV of documents to fetch (corpus/catalog.csv by default)."""

    path: str = default_catalog()

    def entries(self) -> list[CatalogEntry]:
        return load_catalog(Path(self.path))

    @property
    def base_dir(self) -> Path:
        return Path(self.path).resolve().parent


class FetchSettings(ConfigurableResource):
    """Politeness and guards for http(s) sources; local bundled files ignore them."""

    allowed_hosts: str = os.environ.get("OGI_ALLOWED_HOSTS", "*.gov.cn")
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
    """Folder of great-expectations suites as JSON (expectations/suites by default)."""

    directory: str = str(SUITES_DIR)
