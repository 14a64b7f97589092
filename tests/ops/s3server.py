"""A real S3-compatible server on 127.0.0.1 (moto in server mode) for the object-storage tests."""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

S3_ENV = ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_DEFAULT_REGION", "AWS_REGION", "AWS_ENDPOINT_URL",
          "AWS_EC2_METADATA_DISABLED")


@dataclass
class S3Server:
    endpoint: str

    def env(self) -> dict[str, str]:
        """What a client needs to find and sign for the server (pyarrow, boto3, s3fs all read these)."""
        return {"AWS_ACCESS_KEY_ID": "ogi-test", "AWS_SECRET_ACCESS_KEY": "ogi-test-secret",
                "AWS_DEFAULT_REGION": "us-east-1", "AWS_REGION": "us-east-1", "AWS_ENDPOINT_URL": self.endpoint,
                "AWS_EC2_METADATA_DISABLED": "true"}

    def create_bucket(self, name: str) -> None:
        import boto3

        env = self.env()
        boto3.client("s3", endpoint_url=self.endpoint, aws_access_key_id=env["AWS_ACCESS_KEY_ID"],
                     aws_secret_access_key=env["AWS_SECRET_ACCESS_KEY"],
                     region_name=env["AWS_DEFAULT_REGION"]).create_bucket(Bucket=name)

    def filesystem(self):
        """An fsspec (s3fs) filesystem on the server: what DuckDB is handed, offline, to read s3:// paths."""
        import s3fs

        env = self.env()
        return s3fs.S3FileSystem(key=env["AWS_ACCESS_KEY_ID"], secret=env["AWS_SECRET_ACCESS_KEY"],
                                 endpoint_url=self.endpoint, client_kwargs={"region_name": "us-east-1"})


@contextmanager
def s3_server() -> Iterator[S3Server]:
    from moto.server import ThreadedMotoServer

    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    try:
        yield S3Server(endpoint=f"http://{host}:{port}")
    finally:
        server.stop()


@contextmanager
def s3_environment(server: S3Server) -> Iterator[None]:
    saved = {k: os.environ.get(k) for k in S3_ENV}
    os.environ.update(server.env())
    try:
        yield
    finally:
        for k, v in saved.items():
            if v is None:
                os.environ.pop(k, None)
            else:
                os.environ[k] = v
