"""`ogi discover` and `ogi fetch` as a user runs them (a subprocess), and plugged into a parser."""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
from pathlib import Path

from govsite import LISTINGS, GovSite

import ogi_cli.fetch as cli

ROOT = Path(__file__).resolve().parents[2]


def run(*args: str, env_extra: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.lower().endswith("_proxy")}
    env.update(env_extra or {})
    return subprocess.run(
        [sys.executable, "-m", "ogi_cli.fetch", *args],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env=env,
        timeout=60,
    )


def test_discover_prints_one_json_line_per_report(gov: GovSite, tmp_path: Path) -> None:
    env = {"OGI_ALLOWED_HOSTS": "*.gov.cn", "OGI_STATE_DIR": str(tmp_path / "state")}
    p = run(
        "discover",
        gov.url(LISTINGS["trs"]),
        "--allow-hosts",
        "127.0.0.1",
        "--min-interval",
        "0",
        env_extra=env,
    )
    assert p.returncode == 0, p.stderr
    lines = [json.loads(line) for line in p.stdout.splitlines()]
    assert {d["url"] for d in lines} == set(gov.expected_reports("trs"))
    for d in lines:
        assert {"url", "title", "year", "attachments"} <= set(d) and d["attachments"]
    assert "年度报告" in p.stdout  # ensure_ascii=False


def test_discover_max_pages_and_refusal(gov: GovSite, tmp_path: Path) -> None:
    env = {"OGI_STATE_DIR": str(tmp_path / "state"), "OGI_ALLOWED_HOSTS": "127.0.0.1"}
    p = run("discover", gov.url(LISTINGS["plain"]), "--max-pages", "1", "--min-interval", "0", env_extra=env)
    assert p.returncode == 0 and len(p.stdout.splitlines()) == 1
    p = run("discover", gov.url(LISTINGS["plain"]), "--allow-hosts", "*.gov.cn", env_extra=env)
    # No report found; the error is a JSON object on stdout (machine verbs) and one line on stderr.
    assert p.returncode == 1 and "host_not_allowed" in p.stderr
    assert [json.loads(line)["error_kind"] for line in p.stdout.splitlines()] == ["host_not_allowed"]


def test_fetch_stores_and_second_run_is_unchanged(gov: GovSite, tmp_path: Path) -> None:
    env = {"OGI_STATE_DIR": str(tmp_path / "state")}
    args = (
        "fetch",
        gov.url("/enc/gbk-header.html"),
        "--store",
        str(tmp_path / "raw"),
        "--allow-hosts",
        "127.0.0.1",
    )
    first = run(*args, "--min-interval", "0", env_extra=env)
    assert first.returncode == 0, first.stderr
    rec = json.loads(first.stdout)
    assert rec["status"] == 200 and rec["encoding"] == "gb18030" and rec["created"]
    assert (tmp_path / "raw" / "sha256" / rec["sha256"][:2] / rec["sha256"]).is_file()
    second = json.loads(run(*args, "--min-interval", "0", env_extra=env).stdout)
    assert second["status"] == 304 and second["unchanged"] and second["sha256"] == rec["sha256"]
    assert gov.bodies["/enc/gbk-header.html"] == 1
    assert len((tmp_path / "raw" / "fetch-log.jsonl").read_text(encoding="utf-8").splitlines()) == 2


def test_fetch_failure_exit_code(gov: GovSite, tmp_path: Path) -> None:
    p = run(
        "fetch",
        gov.url("/fail/challenge.html"),
        "--store",
        str(tmp_path / "raw"),
        "--min-interval",
        "0",
        env_extra={"OGI_STATE_DIR": str(tmp_path / "state"), "OGI_ALLOWED_HOSTS": "127.0.0.1"},
    )
    assert p.returncode == 1 and json.loads(p.stdout)["error_kind"] == "challenge"


def test_register_into_an_existing_parser(gov: GovSite, tmp_path: Path, capsys: object) -> None:
    parser = argparse.ArgumentParser(prog="ogi")
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser("parse")  # the lead's own verbs live beside ours
    cli.register(sub)
    args = parser.parse_args(
        ["fetch", gov.url("/ok/plain.html"), "--store", str(tmp_path / "raw"), "--allow-hosts", "127.0.0.1"]
    )
    assert args.func(args) == 0
    out = capsys.readouterr().out  # type: ignore[attr-defined]
    assert json.loads(out)["status"] == 200
    args = parser.parse_args(["discover", gov.url(LISTINGS["hanweb"]), "--min-interval", "0"])
    assert args.func(args) == 0
    lines = capsys.readouterr().out.splitlines()  # type: ignore[attr-defined]
    assert len(lines) == len(gov.expected_reports("hanweb"))
