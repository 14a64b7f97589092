"""The command line fails well: one message format, documented exit codes, never a traceback for a user error.

Each case runs the real `ogi` console entry point in a subprocess (as a user would) and checks the
exit code, the message and that no traceback was printed.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import CORPUS, ROOT, project_copy
from tests.ops.servers import serve

SEED = CORPUS / "seeds" / "001_8cbdb91b66522a37.txt"


def ogi(*args: str, env: dict[str, str] | None = None, user: int | None = None, cwd: Path = ROOT):
    full = {k: v for k, v in os.environ.items() if k != "DAGSTER_HOME"}
    full.update(env or {})
    return subprocess.run([sys.executable, "-m", "ogi_cli", *args], capture_output=True, text=True, cwd=cwd,
                          env=full, timeout=300, user=user)


def assert_fails(out, code: int, *fragments: str, json_stdout: bool = False) -> None:
    assert out.returncode == code, (out.returncode, out.stdout[-2000:], out.stderr[-2000:])
    assert "Traceback" not in out.stderr + out.stdout
    message = out.stderr.strip().splitlines()[-1]
    assert message.startswith("ogi ")
    for fragment in fragments:
        assert fragment in message, message
    if json_stdout:
        obj = json.loads(out.stdout.strip().splitlines()[-1])
        assert obj.get("error") or obj.get("findings") is not None


# --- materialize / backfill: usage errors exit 2 -----------------------------------------------------

def test_materialize_without_a_catalog(tmp_path):
    out = ogi("materialize", env={"OGI_CATALOG": str(tmp_path / "nope.csv"), "OGI_DATA_DIR": str(tmp_path / "d")})
    assert_fails(out, 2, "no catalog at", "nope.csv")


def test_materialize_with_a_directory_as_catalog(tmp_path):
    out = ogi("materialize", "--catalog", str(tmp_path), env={"OGI_DATA_DIR": str(tmp_path / "d")})
    assert_fails(out, 2, "is a directory")


def test_materialize_with_a_bad_catalog_row(tmp_path):
    catalog = tmp_path / "catalog.csv"
    catalog.write_text("source_id,location,origin_url,region,year\na,x.html,,15,2020\n", encoding="utf-8")
    out = ogi("materialize", env={"OGI_CATALOG": str(catalog), "OGI_DATA_DIR": str(tmp_path / "d")})
    assert_fails(out, 2, "bad catalog", ":2:", "region")


def test_materialize_with_an_undecodable_catalog(tmp_path):
    catalog = tmp_path / "catalog.csv"
    catalog.write_bytes("source_id,location,region,year\na,x,150000,2020,益阳\n".encode("gbk"))
    out = ogi("materialize", env={"OGI_CATALOG": str(catalog), "OGI_DATA_DIR": str(tmp_path / "d")})
    assert_fails(out, 2, "bad catalog")


@pytest.mark.parametrize(("args", "fragments"), [
    (("--region", "abc"), ("'abc'", "000000", "110000–820000")),
    (("--region", "430100"), ("'430100'", "110000–820000")),
    (("--year", "1999"), ("1999", "2008–")),
    (("--year", "twenty"), ("'twenty'", "2008–")),
])
def test_materialize_validates_region_and_year_with_the_valid_range(args, fragments):
    assert_fails(ogi("materialize", *args), 2, *fragments)


def test_materialize_when_nothing_is_selected():
    assert_fails(ogi("materialize", "--region", "110000"), 2, "no documents for --region 110000")


def test_backfill_needs_a_region_or_a_year():
    assert_fails(ogi("backfill"), 2, "--region", "--year")


def test_unknown_verb_and_option():
    assert_fails(ogi("frobnicate"), 2, "invalid choice")
    assert_fails(ogi("materialize", "--frob"), 2, "unrecognized arguments")


# --- parse ------------------------------------------------------------------------------------------

def test_parse_a_missing_file():
    assert_fails(ogi("parse", "no/such/report.html"), 2, "no such file", json_stdout=True)


def test_parse_a_directory(tmp_path):
    out = ogi("parse", str(tmp_path))
    assert_fails(out, 2, "is a directory", json_stdout=True)
    assert json.loads(out.stdout)["error_kind"] == "is_a_directory"


def test_parse_an_empty_file_exits_non_zero_with_the_record(tmp_path):
    empty = tmp_path / "empty.html"
    empty.write_bytes(b"")
    out = ogi("parse", str(empty))
    assert_fails(out, 1, "nothing could be read", json_stdout=True)
    record = json.loads(out.stdout)
    assert record["cells"] == [] and any(f["severity"] == "error" for f in record["findings"])


def test_parse_garbage_exits_non_zero(tmp_path):
    garbage = tmp_path / "garbage.bin"
    garbage.write_bytes(bytes(range(256)) * 20)
    assert_fails(ogi("parse", str(garbage)), 1, "nothing could be read", json_stdout=True)


def test_parse_an_unreadable_file(tmp_path):
    if os.geteuid() == 0:
        # root reads any file whatever its mode: take one the kernel refuses to read (EIO at offset 0)
        out = ogi("parse", "/proc/self/mem")
        assert_fails(out, 1, "cannot read", "/proc/self/mem", json_stdout=True)
        return
    secret = tmp_path / "report.html"
    secret.write_bytes(SEED.read_bytes())
    secret.chmod(0o000)
    assert_fails(ogi("parse", str(secret)), 1, "cannot read", "ermission denied", json_stdout=True)


def test_parse_a_bad_region():
    assert_fails(ogi("parse", str(SEED), "--region", "99"), 2, "'99'", "110000–820000", json_stdout=True)


def test_parse_into_a_closed_pipe_ends_quietly():
    proc = subprocess.Popen([sys.executable, "-m", "ogi_cli", "parse", str(SEED), "--pretty"], cwd=ROOT,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    proc.stdout.close()  # the reader went away (`| head` that has read enough)
    _, err = proc.communicate(timeout=120)
    assert proc.returncode == 0
    assert b"Traceback" not in err and b"BrokenPipe" not in err


def test_parse_a_url_that_fails(tmp_path):
    with serve() as site:
        out = ogi("parse", site.url("/gone.html"), "--allow-hosts", "127.0.0.1",
                  env={"OGI_STATE_DIR": str(tmp_path)})
    assert_fails(out, 1, "not_found", json_stdout=True)
    assert json.loads(out.stdout)["error_kind"] == "not_found"


# --- fetch and discover: JSON on stdout, one line on stderr ------------------------------------------

def test_fetch_into_a_store_that_is_a_file(tmp_path):
    (tmp_path / "store").write_text("x")
    out = ogi("fetch", str(SEED), "--store", str(tmp_path / "store"))
    assert_fails(out, 2, "is a file", json_stdout=True)


def test_fetch_a_failing_url(tmp_path):
    with serve() as site:
        site.page("/err.html", "boom", status=500)
        out = ogi("fetch", site.url("/err.html"), "--store", str(tmp_path / "raw"), "--allow-hosts", "127.0.0.1",
                  "--max-attempts", "1", env={"OGI_STATE_DIR": str(tmp_path)})
    assert_fails(out, 1, "server_error", json_stdout=True)
    assert json.loads(out.stdout)["error_kind"] == "server_error"


def test_discover_a_failing_listing(tmp_path):
    with serve() as site:
        site.page("/zfxxgknb/", "down", status=500)
        out = ogi("discover", site.url("/zfxxgknb/"), "--allow-hosts", "127.0.0.1", "--max-attempts", "1",
                  env={"OGI_STATE_DIR": str(tmp_path)})
    assert_fails(out, 1, "server_error", json_stdout=True)
    assert json.loads(out.stdout.splitlines()[-1])["error_kind"] == "server_error"


def test_accuracy_on_a_missing_corpus():
    assert_fails(ogi("accuracy", "no/such/corpus"), 2, "no such directory")


# --- the end-of-run summary -------------------------------------------------------------------------

def test_materialize_summary_names_the_reports_that_break_identities(tmp_path):
    data, catalog = project_copy(tmp_path)
    out = ogi("materialize", "--region", "430000", "--year", "2020",
              env={"OGI_DATA_DIR": str(data), "OGI_CATALOG": str(catalog)})
    assert out.returncode == 0, out.stdout + out.stderr
    assert "Traceback" not in out.stderr
    lines = out.stdout.splitlines()
    assert "partitions: 1 published, 0 held back, 0 without documents (of 1)" in lines
    # Seed 001 and its page are copies of one report: one is published, the other recorded as its duplicate.
    assert "documents: 1 published, 1 duplicate, 0 excluded, 2 failed" in lines
    assert any(line.startswith("  failed missing-gone-html at fetch: not_found") for line in lines)
    from ogi.datasets.storage import Storage
    from ogi.datasets.warehouse import Warehouse

    (report,) = Warehouse(Storage(data / "warehouse")).read("reports").to_pylist()
    assert report["source_id"] in ("seed-001-txt", "yiyang-2020-html")  # seed 001, as text or as its page
    # Seed 001 breaks I1, I2 and I3 in print: each identity line names that report and where it came from.
    for identity in ("I1", "I2", "I3"):
        line = next(line for line in lines if line.startswith(f"  {identity}: "))
        assert f"{report['report_id']} ({report['source_id']}: " in line
    assert not any(line.startswith("  I4: ") for line in lines)
    assert any("`findings` dataset" in line and str(data) in line for line in lines)
    # Progress per stage went to stderr while it ran.
    assert "fetch 2020/430000: 4/4 documents, 1 failed" in out.stderr
    assert "parse 2020/430000: 4/4 documents, 1 failed" in out.stderr
