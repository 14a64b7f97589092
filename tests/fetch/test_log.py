"""Fetch log: JSONL appends from many writers, `latest` for conditional requests, a typed DataFrame."""

from __future__ import annotations

import threading
from pathlib import Path

import pandas as pd
from govsite import GovSite

from ogi.fetch.client import Fetcher, FetchRecord
from ogi.fetch.log import LOG_COLUMNS, FetchLog, records_to_frame, summarize
from ogi.fetch.policy import FetchPolicy
from ogi.fetch.store import RawStore


def test_log_frame_and_summary(gov: GovSite, policy: FetchPolicy, tmp_path: Path) -> None:
    log = FetchLog(tmp_path / "log.jsonl")
    with Fetcher(RawStore(tmp_path / "raw"), policy) as f:
        ok = f.fetch(gov.url("/ok/plain.html"))
        bad = f.fetch(gov.url("/fail/challenge.html"))
        log.append([ok, bad])
        again = f.fetch(gov.url("/ok/plain.html"), previous=log.latest()[ok.url])
        log.append(again)
    assert log.records() == [ok, bad, again]
    assert set(log.latest()) == {ok.url}
    df = log.to_frame()
    assert list(df.columns) == list(LOG_COLUMNS) and len(df) == 3
    assert df["status"].tolist() == [200, 412, 304]
    assert str(df["fetched_at"].dtype).startswith("datetime64") and df["host"].eq("127.0.0.1").all()
    assert df["error_kind"].tolist()[1] == "challenge" and pd.isna(df["error_kind"].tolist()[0])
    assert df["unchanged"].tolist() == [False, False, True]
    stats = summarize([ok, bad, again])
    assert stats == {
        "found": 3,
        "fetched": 1,
        "unchanged": 1,
        "failed": 1,
        "bytes": ok.bytes_transferred + bad.bytes_transferred,
        "errors_by_kind": {"challenge": 1},
    }
    out = tmp_path / "log.parquet"
    df.to_parquet(out)
    assert len(pd.read_parquet(out)) == 3


def test_concurrent_appends_and_torn_lines(tmp_path: Path) -> None:
    log = FetchLog(tmp_path / "log.jsonl")

    def writer(n: int) -> None:
        for i in range(50):
            log.append(FetchRecord(url=f"http://x.gov.cn/{n}/{i}", sha256="0" * 64, error=None))

    threads = [threading.Thread(target=writer, args=(n,)) for n in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    with log.path.open("a", encoding="utf-8") as fh:
        fh.write('{"url": "http://x.gov.cn/torn", "sta')  # a writer killed mid-line
    assert len(log.records()) == 200


def test_empty_frame() -> None:
    df = records_to_frame([])
    assert list(df.columns) == list(LOG_COLUMNS) and df.empty


def test_previous_from_a_parquet_roundtrip(gov: GovSite, policy: FetchPolicy, tmp_path: Path) -> None:
    """Records read back from the fetch-log dataset (NaN, numpy, timestamps) still drive a 304."""
    store = RawStore(tmp_path / "raw")
    with Fetcher(store, policy) as f:
        first = f.fetch(gov.url("/plain/t2020_1.html"))  # no ETag: etag is None -> NaN/None in the frame
        records_to_frame([first]).to_parquet(tmp_path / "log.parquet")
        row = pd.read_parquet(tmp_path / "log.parquet").to_dict("records")[0]
        back = FetchRecord.from_json(row)
        assert back.sha256 == first.sha256 and back.etag is None and back.status == 200
        assert back.fetched_at == first.fetched_at and back.redirects == []
        gov.reset_counts()
        again = f.fetch(gov.url("/plain/t2020_1.html"), previous=back)
    assert again.status == 304 and again.unchanged and not gov.bodies
