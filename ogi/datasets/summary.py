"""The national summary of a statistics year: headline figures by province, and a chart of them.

Sums take body reports only (a jurisdiction roll-up contains the body reports inside it), and a
province's figure counts only reports that print it (`reports_stating`): a missing figure is never
taken as 0.
"""

from __future__ import annotations

import io
from collections import defaultdict
from typing import Any

import pyarrow as pa

from ogi.datasets.registry import NATIONAL_SUMMARY
from ogi.reference.provinces import english_name

FIGURES = ("requests_received", "requests_granted", "reviews", "suits")


def summarise(year: int, headline: list[dict[str, Any]]) -> pa.Table:
    by_region: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for row in headline:
        by_region[row["region"]].append(row)
    out = []
    for region in sorted(by_region):
        rows = by_region[region]
        body = [r for r in rows if r["scope"] == "body"]
        entry: dict[str, Any] = {"year": year, "region": region, "province": english_name(region),
                                 "reports": len(rows), "body_reports": len(body),
                                 "jurisdiction_reports": sum(1 for r in rows if r["scope"] == "jurisdiction")}
        for figure in FIGURES:
            stated = [r[figure] for r in body if r.get(figure) is not None]
            entry[figure] = sum(stated) if stated else None
            entry[f"{figure}_reports_stating"] = len(stated)
        out.append(entry)
    return NATIONAL_SUMMARY.table(out)


def chart_png(year: int, summary: pa.Table) -> bytes:
    """Requests received by province (body reports), as a horizontal bar chart."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    rows = [r for r in summary.to_pylist()]
    rows.sort(key=lambda r: r["requests_received"] or 0)
    names = [f"{r['province']} ({r['body_reports']})" for r in rows]
    values = [r["requests_received"] or 0 for r in rows]
    fig, ax = plt.subplots(figsize=(7, max(2.0, 0.35 * len(rows) + 1)), dpi=100)
    ax.barh(names, values, color="#3b6ea5")
    ax.set_xlabel("requests received (sum over body reports that print it)")
    ax.set_title(f"Requests received, {year} (body reports per province)")
    for i, v in enumerate(values):
        ax.text(v, i, f" {v}", va="center", fontsize=8)
    fig.tight_layout()
    buf = io.BytesIO()
    fig.savefig(buf, format="png", metadata={"Software": None})
    plt.close(fig)
    return buf.getvalue()
