"""A real PostgreSQL server started by the tests on 127.0.0.1 (Debian's postgresql package: .ci/run installs it).

initdb refuses to run as root, so as root the cluster belongs to the `postgres` user the package
creates. The server listens on a free port of 127.0.0.1 only, with password (scram) authentication,
and is stopped (fast shutdown) and removed at the end.
"""

from __future__ import annotations

import glob
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

USER = "ogi"
PASSWORD = "ogi-test-password"


def postgres_bin() -> Path | None:
    """The folder of initdb/pg_ctl: on PATH, or Debian's /usr/lib/postgresql/<version>/bin."""
    found = shutil.which("initdb")
    if found:
        return Path(os.path.realpath(found)).parent
    candidates = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"))
    return Path(candidates[-1]).parent if candidates else None


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@dataclass
class PostgresServer:
    port: int
    host: str = "127.0.0.1"
    user: str = USER
    password: str = PASSWORD

    def env(self, db: str) -> dict[str, str]:
        """The DAGSTER_PG_* variables deploy/dagster.yaml reads."""
        return {"DAGSTER_PG_HOST": self.host, "DAGSTER_PG_PORT": str(self.port), "DAGSTER_PG_USERNAME": self.user,
                "DAGSTER_PG_PASSWORD": self.password, "DAGSTER_PG_DB": db}

    def connect(self, db: str = "postgres"):
        import psycopg2

        return psycopg2.connect(host=self.host, port=self.port, user=self.user, password=self.password, dbname=db)

    def create_database(self, name: str) -> None:
        con = self.connect()
        con.autocommit = True
        with con.cursor() as cur:
            cur.execute(f'create database "{name}"')
        con.close()


@contextmanager
def postgres_server() -> Iterator[PostgresServer]:
    bin_dir = postgres_bin()
    if bin_dir is None:
        raise RuntimeError("no PostgreSQL server binaries (initdb): apt-get install postgresql (.ci/run does)")
    root = Path(tempfile.mkdtemp(prefix="ogi-pg-"))
    as_user = None
    if os.geteuid() == 0:
        account = pwd.getpwnam("postgres")
        os.chown(root, account.pw_uid, account.pw_gid)
        as_user = account.pw_uid
    data, sockets, pwfile = root / "data", root / "sockets", root / "pw"
    port = _free_port()
    server = PostgresServer(port=port)

    def run(*args: str) -> None:
        subprocess.run(args, check=True, capture_output=True, timeout=120, user=as_user, cwd=root)

    try:
        run("sh", "-c", f"umask 077 && mkdir {sockets} && printf %s '{PASSWORD}' > {pwfile}")
        run(str(bin_dir / "initdb"), "-D", str(data), "-U", USER, f"--pwfile={pwfile}", "--auth-host=scram-sha-256",
            "--auth-local=scram-sha-256", "-E", "UTF8", "--no-sync")
        run(str(bin_dir / "pg_ctl"), "-D", str(data), "-l", str(root / "server.log"), "-w", "-t", "60", "-o",
            f"-p {port} -k {sockets} -c listen_addresses=127.0.0.1 -c fsync=off", "start")
        yield server
    finally:
        if (data / "postmaster.pid").exists():
            subprocess.run([str(bin_dir / "pg_ctl"), "-D", str(data), "-m", "fast", "-w", "stop"],
                           capture_output=True, timeout=120, user=as_user, cwd=root)
        shutil.rmtree(root, ignore_errors=True)
