"""Where the local-only state of a data root lives (no Dagster import: the CLI's error paths stay fast)."""

from __future__ import annotations

import hashlib
import os
import re
from pathlib import Path


def local_state_dir(data_dir: str | Path) -> Path:
    """Where the local-only state of a data folder lives: in it, or for an object-storage URI a folder of
    its own under $XDG_STATE_HOME/ogi (host lock files and the Dagster instance cannot live in a bucket)."""
    text = str(data_dir)
    if "://" not in text or text.startswith("file://"):
        return Path(text.removeprefix("file://")).absolute()
    base = Path(os.environ.get("XDG_STATE_HOME") or Path.home() / ".local" / "state") / "ogi"
    slug = re.sub(r"[^A-Za-z0-9._-]+", "_", text.split("://", 1)[1]).strip("_")[:60]
    return base / f"{slug}-{hashlib.sha256(text.encode()).hexdigest()[:8]}"


