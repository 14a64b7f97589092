"""A child process that publishes one partition with the real Warehouse.publish, for the kill and
concurrency tests: it can SIGKILL itself at the k-th publication step, or pause at a named step
until a file appears.

    python -m tests.reliability.publish_child '<json>'

json: warehouse (root), year, region, staged ({dataset: [stage root, key]}), kill_at (step index or
null), pause_at (step name or null), paused (file written when paused), go (file waited for),
lock (bool), lease_seconds, report (file: the steps seen, then the publication or the error).
"""

from __future__ import annotations

import json
import os
import signal
import sys
import time
from pathlib import Path


def main(args: dict) -> int:
    from ogi.datasets.storage import Storage
    from ogi.datasets.warehouse import Partition, PublicationConflict, Warehouse

    warehouse = Warehouse(Storage(args["warehouse"]), lease_seconds=args.get("lease_seconds", 300.0))
    staged = {name: (Storage(root), key) for name, (root, key) in args["staged"].items()}
    report = Path(args["report"])
    steps: list[str] = []

    def step(name: str) -> None:
        steps.append(name)
        report.write_text(json.dumps({"steps": steps}))
        if args.get("kill_at") is not None and len(steps) - 1 == args["kill_at"]:
            os.kill(os.getpid(), signal.SIGKILL)
        if args.get("pause_at") == name:
            Path(args["paused"]).write_text(name)
            deadline = time.monotonic() + 120
            while not Path(args["go"]).exists() and time.monotonic() < deadline:
                time.sleep(0.02)

    try:
        manifest = warehouse.publish(Partition(args["region"], args["year"]), staged, step=step,
                                     lock=args.get("lock", True), run_id=args.get("run_id"))
    except PublicationConflict as exc:
        report.write_text(json.dumps({"steps": steps, "error": str(exc), "other": exc.other}))
        return 3
    report.write_text(json.dumps({"steps": steps, "publication": manifest.publication}))
    return 0


if __name__ == "__main__":
    sys.exit(main(json.loads(sys.argv[1])))
