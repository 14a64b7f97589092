"""Polite by default: robots.txt honoured (fetched once per host, cached), an override per catalog row recorded,
and a User-Agent that names the project and a contact."""

from __future__ import annotations

from ogi.datasets.registry import RAW_DOCUMENTS
from ogi.datasets.warehouse import Partition
from ogi.fetch.client import Fetcher
from ogi.fetch.policy import FetchPolicy
from ogi.fetch.robots import RobotsRules, RobotsVerdict
from ogi.fetch.store import RawStore
from pipelines.resources import FetchSettings
from pipelines.runs import materialize_partitions
from tests.conftest import definitions_for
from tests.ops.servers import Site, serve
from tests.ops.test_backfill_retry import TONGLIAO

ROBOTS = """# a government site that hides its own disclosure column from robots
User-agent: *
Disallow: /zfxxgk/
Allow: /zfxxgk/zfxxgknb/$
Disallow: /*.pdf$

User-agent: BadBot
Disallow: /
"""


def _policy(tmp_path, **kw) -> FetchPolicy:
    return FetchPolicy(allowed_hosts=("127.0.0.1",), min_interval=0.0, max_attempts=1, connect_timeout=2,
                       read_timeout=2, state_dir=tmp_path / "state", **kw)


def _site() -> Site:
    site = Site()
    site.page("/robots.txt", ROBOTS, content_type="text/plain")
    site.page("/zfxxgk/report.html", TONGLIAO.read_bytes())
    site.page("/zfxxgk/zfxxgknb/", "<html><body>年报 listing</body></html>" + "x" * 300)
    site.page("/open.html", TONGLIAO.read_bytes())
    return site


def test_rules_longest_match_wins_and_allow_wins_ties():
    rules = RobotsRules.parse(200, ROBOTS)
    assert rules.verdict("/zfxxgk/report.html") == RobotsVerdict.DISALLOWED
    assert rules.verdict("/zfxxgk/zfxxgknb/") == RobotsVerdict.ALLOWED  # the longer Allow with $ wins
    assert rules.verdict("/zfxxgk/zfxxgknb/x.html") == RobotsVerdict.DISALLOWED  # $: that path only
    assert rules.verdict("/files/2022.pdf") == RobotsVerdict.DISALLOWED
    assert rules.verdict("/files/2022.pdf.html") == RobotsVerdict.ALLOWED
    assert RobotsRules.parse(404, "").verdict("/anything") == RobotsVerdict.NO_RULES
    assert RobotsRules.parse(503, "").verdict("/anything") == RobotsVerdict.UNAVAILABLE
    assert RobotsRules.parse(None, "").verdict("/anything") == RobotsVerdict.UNAVAILABLE
    ours = RobotsRules.parse(200, "User-agent: ogi-pipeline\nDisallow: /private/\n\nUser-agent: *\nDisallow: /\n")
    assert ours.verdict("/public.html") == RobotsVerdict.ALLOWED  # our own group, not *
    assert ours.verdict("/private/a.html") == RobotsVerdict.DISALLOWED


def test_robots_is_honoured_fetched_once_per_host_and_cached_across_fetchers(tmp_path, monkeypatch):
    monkeypatch.setenv("OGI_CONTACT", "open-data@example.org")
    with serve(_site()) as site:
        store = RawStore(tmp_path / "raw")
        with Fetcher(store, _policy(tmp_path)) as fetcher:
            blocked = fetcher.fetch(site.url("/zfxxgk/report.html"))
            allowed = fetcher.fetch(site.url("/open.html"))
        assert (blocked.error_kind, blocked.robots, blocked.sha256) == ("robots_disallowed", "disallowed", None)
        assert site.requests["/zfxxgk/report.html"] == 0  # never requested
        assert allowed.ok and allowed.robots == "allowed"
        with Fetcher(store, _policy(tmp_path)) as again:  # another Fetcher (another run): the cache on disk
            assert again.fetch(site.url("/open.html")).robots == "allowed"
        assert site.requests["/robots.txt"] == 1
        assert all("ogi-pipeline/" in a and "contact: open-data@example.org" in a for a in site.agents)


def test_a_site_whose_robots_txt_is_down_is_not_fetched_and_it_is_transient(tmp_path):
    with serve() as site:
        site.page("/robots.txt", "busy", status=503)
        site.page("/open.html", TONGLIAO.read_bytes())
        with Fetcher(RawStore(tmp_path / "raw"), _policy(tmp_path)) as fetcher:
            rec = fetcher.fetch(site.url("/open.html"))
        assert (rec.error_kind, rec.robots) == ("robots_unavailable", "unavailable")
        assert site.requests["/open.html"] == 0
    from ogi.fetch.sources import TRANSIENT_KINDS

    assert "robots_unavailable" in TRANSIENT_KINDS


def test_a_catalog_override_fetches_the_blocked_column_and_records_it(tmp_path, fresh_instance):
    with serve(_site()) as site:
        catalog = tmp_path / "catalog.csv"
        origin = "https://www.tongliao.gov.cn/zwgk/zfxxgk/zfxxgknb/2022_645/szfzcbm/202301/t20230118_62744.html"
        catalog.write_text(
            "source_id,location,origin_url,region,year,agency,note,kind,robots\n"
            f"blocked,{site.url('/zfxxgk/report.html')},{origin},150000,2022,,,report,\n"
            f"overridden,{site.url('/zfxxgk/report.html')}?copy=1,{origin},150000,2022,,,report,ignore\n",
            encoding="utf-8")
        defs = definitions_for(tmp_path / "data", catalog, fetch_settings=FetchSettings(
            allowed_hosts="127.0.0.1", min_interval_seconds=0, max_attempts=1))
        result, = materialize_partitions([(2022, "150000")], defs=defs, instance=fresh_instance)
        assert result.success
        lake = defs.resources["lake"]
        raw = {r["source_id"]: r for r in
               lake.stage_files().open(RAW_DOCUMENTS, Partition("150000", 2022)).to_table().to_pylist()}
        assert (raw["blocked"]["error_kind"], raw["blocked"]["robots"]) == ("robots_disallowed", "disallowed")
        assert raw["overridden"]["robots"] == "ignored (catalog)" and raw["overridden"]["sha256"]
        documents = {d["source_id"]: d for d in lake.warehouse().read("documents").to_pylist()}
        assert documents["blocked"]["status"] == "failed" and documents["blocked"]["error_kind"] == "robots_disallowed"
        assert documents["overridden"]["status"] == "published"
        assert site.requests["/zfxxgk/report.html"] == 1  # only the overridden row asked for it
        log = [r for r in lake.fetch_log() if r.url.endswith("copy=1")]
        assert log and log[-1].robots == "ignored (catalog)"
