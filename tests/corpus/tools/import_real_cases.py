#!/usr/bin/env python3
"""How the real cases entered tests/corpus (run by hand; never at test time, never by the project).

- rc01..rc03: the three crawler-text samples of 平潭综合实验区 (shared/samples/crawler-text/), with
  their hand-read labels; `raw` is the printed text of each labelled value (the fee in 万元 as printed).
- rr01..rr23: the reconciled cases of the real-corpus collection (two independent readings each,
  labels.json once reconciled), copied with their source.json provenance. Two mechanical changes:
  unit_source "header"/"cell" become the schema's "printed"; a report cut before its tables gets
  `format_assumed` (its labelled format is the labellers' assumption from the year, not table content).

Usage: python tests/corpus/tools/import_real_cases.py SHARED_SAMPLES_DIR REALCORPUS_DIR
"""

from __future__ import annotations

import json
import re
import shutil
import sys
from decimal import Decimal
from pathlib import Path

CORPUS = Path(__file__).resolve().parents[1]
CRAWLER = {"16_pingtan_shiyanqu_2023.txt": "rc01_pingtan_2023_crawler",
           "17_pingtan_shiyanqu_2022.txt": "rc02_pingtan_2022_crawler",
           "18_pingtan_shiyanqu_2021.txt": "rc03_pingtan_2021_crawler"}
RENDERING = {"html_fragment": "html_fragment", "text": "prose_text", "pipe_rows": "text_pipe_rows",
             "one_cell_per_line": "text_cell_per_line", "one_cell_per_line_with_pipes": "text_cell_per_line"}


def _write(folder: Path, labels: dict) -> None:
    (folder / "labels.json").write_text(json.dumps(labels, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")


def crawler_samples(src: Path) -> None:
    for entry in json.loads((src / "labels.json").read_text(encoding="utf-8")):
        text = (src / entry["file"]).read_text(encoding="utf-8")
        fee_raw = re.search(r"行政事业性收费\s*([\d.]+)", text).group(1)  # type: ignore[union-attr]
        cells = []
        for c in entry["cells"]:
            cell = {"table": c["table"], "row": c["row"], "col": c["col"]}
            if c["row"] == "fees":
                assert Decimal(fee_raw) * 10000 == Decimal(str(c["value"]))
                cell.update(raw=fee_raw, value=c["value"], unit="万元", unit_source="printed")
            else:
                cell.update(raw=str(int(c["value"])), value=int(c["value"]))
            cells.append(cell)
        folder = CORPUS / CRAWLER[entry["file"]]
        shutil.rmtree(folder, ignore_errors=True)
        folder.mkdir()
        shutil.copyfile(src / entry["file"], folder / "document.txt")
        _write(folder, {
            "rendering": "crawler_one_line", "format": entry["format"], "year": entry["year"],
            "description": "A real report as a web crawler saved it: the whole page on one line, table cells with no "
                           "separator. Labels read by hand from the page; only the listed cells are labelled.",
            "synthetic": False, "cells_complete": False,
            "source": {"file": entry["file"], "collection": "shared/samples/crawler-text (平潭综合实验区 archive)"},
            "notes": entry["notes"], "origin_url": entry["origin_url"], "region": "350000",
            "agency": entry["agency"], "cells": cells, "facts": [], "identity_breaks": []})


def realcorpus(src: Path) -> None:
    for case in sorted(p for p in src.iterdir() if p.is_dir() and (p / "labels.json").is_file()):
        labels = json.loads((case / "labels.json").read_text(encoding="utf-8"))
        source = json.loads((case / "source.json").read_text(encoding="utf-8"))
        doc = next(p for p in case.iterdir() if p.name.startswith("document."))
        folder = CORPUS / ("rr" + case.name)
        shutil.rmtree(folder, ignore_errors=True)
        folder.mkdir()
        shutil.copyfile(doc, folder / doc.name)
        shutil.copyfile(case / "source.json", folder / "source.json")
        page = source.get("url_in_repo_or_page")
        out = {
            "rendering": RENDERING[source["rendering"]], "format": labels["format"], "year": labels["year"],
            "description": f"real report ({source['rendering']}, {'truncated' if labels.get('truncated') else 'complete'}); "
                           "labels reconciled from two independent readings",
            "synthetic": False, "cells_complete": True, "truncated": labels.get("truncated", False),
            "source": {"realcorpus": case.name, "source_json": "source.json", "labelled_by": labels.get("labelled_by"),
                       "reconciliation": labels.get("reconciliation")},
            "notes": labels.get("notes", []) + labels.get("notes_b", []),
            "origin_url": source.get("origin_url") or (page if str(page or "").startswith("http") else None),
            "region": labels.get("region") or source.get("region_code_guess"), "agency": labels.get("agency"),
            "scope": labels.get("scope"), "cells": labels["cells"], "facts": labels.get("facts", []),
            "identity_breaks": labels.get("identity_breaks", []),
        }
        for c in out["cells"]:
            if c.get("unit_source") in ("header", "cell"):
                c["unit_source"] = "printed"
        if not out["cells"] and not out["facts"] and out["format"] != "pre2019":
            out["format_assumed"] = True
        _write(folder, out)


if __name__ == "__main__":
    crawler_samples(Path(sys.argv[1]) / "crawler-text")
    realcorpus(Path(sys.argv[2]))
