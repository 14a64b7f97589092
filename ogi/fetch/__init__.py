"""Raw fetch: discover annual reports on government sites and fetch them politely into a raw store.

No Dagster here: the asset layer calls these functions. Discovery and the fetch log are imported
lazily (BeautifulSoup, pandas) so `import ogi.fetch` stays cheap.
"""

from __future__ import annotations

from typing import Any

from ogi.fetch.client import ERROR_KINDS, Fetcher, FetchRecord, fetch
from ogi.fetch.policy import FetchPolicy, host_matches
from ogi.fetch.store import RawStore

__all__ = [
    "ERROR_KINDS",
    "DiscoveredReport",
    "Discovery",
    "FetchLog",
    "FetchPolicy",
    "FetchRecord",
    "Fetcher",
    "RawStore",
    "discover",
    "fetch",
    "host_matches",
    "records_to_frame",
    "summarize",
]

_LAZY = {
    "discover": "ogi.fetch.discover",
    "Discovery": "ogi.fetch.discover",
    "DiscoveredReport": "ogi.fetch.discover",
    "FetchLog": "ogi.fetch.log",
    "records_to_frame": "ogi.fetch.log",
    "summarize": "ogi.fetch.log",
}


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        import importlib

        return getattr(importlib.import_module(_LAZY[name]), name)
    raise AttributeError(f"module 'ogi.fetch' has no attribute {name!r}")
