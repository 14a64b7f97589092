"""`ogi release`: a dated, versioned snapshot of the published datasets, its manifest and its diff."""

from __future__ import annotations

import argparse

from ogi_cli.errors import ExitCode, failed


def _release(args: argparse.Namespace) -> int:
    from ogi.datasets.release import ReleaseError, make_release
    from ogi.datasets.storage import Storage
    from pipelines.resources import DataLake
    from pipelines.runs import data_dir_from_env, load_env_defaults

    load_env_defaults()
    lake = DataLake(root=data_dir_from_env())
    target = Storage(args.out) if args.out else Storage(lake.location("releases"))
    try:
        release = make_release(lake.warehouse(), target, version=args.version)
    except ReleaseError as exc:
        raise failed(str(exc), "release") from None
    m = release.manifest
    print(f"release {m.version} at {release.location}: {len(m.partitions)} partition(s), "
          + ", ".join(f"{k} {v}" for k, v in sorted(m.rows.items())) + " rows")
    print(f"  manifest.json (sha256 and rows of every file), diff.md / diff.json against {m.previous or 'nothing'}")
    for d in release.diff:
        print(f"  {d.dataset} {d.partition}: +{d.added} -{d.removed} ~{d.changed}")
    if m.previous and not release.diff:
        print("  no row added, removed or changed")
    return int(ExitCode.OK)


def register(sub) -> None:
    p = sub.add_parser("release", help="snapshot the published datasets as a dated, versioned release with a diff",
                       epilog="exit codes: 0 ok, 1 no release made (message says why), 2 bad usage")
    p.add_argument("--version", help="release version (default: v<date>, v<date>.2 for a second one that day)")
    p.add_argument("--out", help="releases folder or s3:// URI (default: $OGI_DATA_DIR/releases)")
    p.set_defaults(func=_release)
