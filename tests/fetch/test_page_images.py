"""The pictures of a report page come through the raw store like any attachment (real HTTP, 127.0.0.1)."""

from __future__ import annotations

import io
from pathlib import Path

from govsite import GovSite, Page
from PIL import Image

from ogi.fetch.client import Fetcher
from ogi.fetch.policy import FetchPolicy
from ogi.fetch.sources import fetch_page_images
from ogi.fetch.store import RawStore
from ogi.read.html import page_images, read_html


def _png(shade: int) -> bytes:
    out = io.BytesIO()
    Image.new("L", (640, 480), shade).save(out, format="PNG")
    return out.getvalue()


def test_page_pictures_are_fetched_into_the_raw_store(gov: GovSite, policy: FetchPolicy, tmp_path: Path) -> None:
    scans = {"/u/2023/p1.png": _png(250), "/u/2023/p2.png": _png(240)}
    for path, body in scans.items():
        gov.pages[path] = Page(body=body, content_type="image/png")
    gov.pages["/art/report.html"] = Page(body=(
        "<html><body><div class='main'><h1>某县2022年政府信息公开工作年度报告</h1>"
        "<p><img src='../u/2023/p1.png'></p><p><img src='/u/2023/p2.png'></p>"
        "<p><img src='/u/2023/missing.png'></p><p><img src='http://192.0.2.1/elsewhere.png'></p>"
        "<p><img src='/img/share_icon.png'></p></div></body></html>").encode())
    store = RawStore(tmp_path / "raw")
    with Fetcher(store, policy) as fetcher:
        page = fetcher.fetch(gov.url("/art/report.html"))
        doc = read_html(store.get(page.sha256))
        pictures = page_images(doc, page.final_url or page.url)
        assert [u for u, _ in pictures] == [gov.url("/u/2023/p1.png"), gov.url("/u/2023/p2.png"),
                                            gov.url("/u/2023/missing.png"), "http://192.0.2.1/elsewhere.png"]
        records = fetch_page_images([u for u, _ in pictures], fetcher)
    assert [r.ok for r in records] == [True, True, False, False]
    assert [store.get(r.sha256) for r in records[:2]] == list(scans.values())
    assert records[2].status == 404 and records[3].error_kind  # not on the allowlist: never requested
    assert gov.hits.get("/u/2023/p1.png") == 1
