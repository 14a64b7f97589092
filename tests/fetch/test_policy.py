"""Host allowlist patterns and their configuration."""

from __future__ import annotations

import pytest

from ogi.fetch.policy import FetchPolicy, host_matches, parse_host_patterns


@pytest.mark.parametrize(
    ("host", "ok"),
    [
        ("www.gov.cn", True),
        ("zfxxgk.fuzhou.gov.cn", True),
        ("WWW.PINGTAN.GOV.CN.", True),
        ("gov.cn", True),
        ("www.gov.cn:8080", True),
        ("evilgov.cn", False),
        ("gov.cn.evil.com", False),
        ("www.gov.com", False),
        ("127.0.0.1", False),
        ("", False),
    ],
)
def test_default_pattern(host: str, ok: bool) -> None:
    assert host_matches(host, ("*.gov.cn",)) is ok


def test_exact_wildcard_and_star() -> None:
    assert host_matches("127.0.0.1", ("127.0.0.1",))
    assert host_matches("mirror.example.com", ("*.example.com",))
    assert host_matches("a.b", ("*",))
    assert host_matches("szb.gd.gov.cn", ("*.gd.gov.cn",)) and not host_matches(
        "szb.gx.gov.cn", ("*.gd.gov.cn",)
    )
    assert host_matches("www1.xx.cn", ("www?.xx.cn",))


def test_env_replaces_default(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("OGI_ALLOWED_HOSTS", " 127.0.0.1, *.gov.cn ,,")
    assert FetchPolicy().allowed_hosts == ("127.0.0.1", "*.gov.cn")
    monkeypatch.delenv("OGI_ALLOWED_HOSTS")
    assert FetchPolicy().allowed_hosts == ("*.gov.cn",)
    assert FetchPolicy().with_hosts("a.org,b.org").allowed_hosts == ("a.org", "b.org")
    assert FetchPolicy().with_hosts(None).allowed_hosts == ("*.gov.cn",)
    assert parse_host_patterns(["a.org,B.org:80"]) == ("a.org", "b.org")


def test_authority_is_separate_from_allowlist() -> None:
    p = FetchPolicy(allowed_hosts=("*",))
    assert p.allows_host("essay.example.com") and not p.is_authoritative("essay.example.com")
    assert p.is_authoritative("www.fuzhou.gov.cn")
