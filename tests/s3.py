"""An S3 endpoint of the tests' own: moto's server mode (`moto_server`, requirements-dev) on 127.0.0.1.

`s3_media` points the portal's media storage at a fresh prefix of a bucket on that endpoint for one
test, with the options settings build from MEDIA_S3_* (iom_portal.settings.s3_storage_config), so a
test exercises the storage production gets. `own_s3_server` is a server of the test's own, which the
test may stop (the endpoint gone) and start again; moto keeps its objects in memory, so a restarted
server is empty.

Without moto the tests skip on the embedded default and fail under IOM_REQUIRE_SERVICES=1 (.ci/run).
"""

import shutil
import subprocess
import sys
import uuid
from pathlib import Path

import pytest

from tests.faults.conftest import free_port, missing, wait_until

BUCKET = "iom-media-test"
ACCESS_KEY, SECRET_KEY, REGION = "test-access-key", "test-secret-key", "us-east-1"


def _moto_server() -> str | None:
    beside = Path(sys.executable).parent / "moto_server"  # the venv's script, also when the venv is not on PATH
    return str(beside) if beside.exists() else shutil.which("moto_server")


class S3Server:
    def __init__(self, log: Path):
        self.executable = _moto_server()
        if self.executable is None:
            missing("moto_server is not installed (moto, requirements-dev.txt)")
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.log = log
        self.process: subprocess.Popen | None = None

    def client(self):
        import boto3
        from botocore.config import Config

        return boto3.client("s3", endpoint_url=self.url, aws_access_key_id=ACCESS_KEY,
                            aws_secret_access_key=SECRET_KEY, region_name=REGION,
                            config=Config(retries={"max_attempts": 1}, connect_timeout=2))

    def answers(self) -> bool:
        try:
            self.client().list_buckets()
        except Exception:
            return False
        return True

    def start(self) -> None:
        self.process = subprocess.Popen(  # noqa: S603
            [self.executable, "-H", "127.0.0.1", "-p", str(self.port)],
            stdout=subprocess.DEVNULL, stderr=self.log.open("a"),
        )
        wait_until(self.answers, 30, f"moto_server on port {self.port} answering", step=0.2)
        self.client().create_bucket(Bucket=BUCKET)

    def stop(self) -> None:
        if self.process is None:
            return
        self.process.terminate()
        try:
            self.process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        self.process = None

    def objects(self, prefix: str) -> dict[str, bytes]:
        """Key (without the prefix) → bytes of every object under `prefix`."""
        client = self.client()
        found = {}
        for page in client.get_paginator("list_objects_v2").paginate(Bucket=BUCKET, Prefix=f"{prefix}/"):
            for item in page.get("Contents", []):
                found[item["Key"][len(prefix) + 1:]] = client.get_object(Bucket=BUCKET, Key=item["Key"])["Body"].read()
        return found

    def environment(self, prefix: str) -> dict[str, str]:
        """The MEDIA_S3_* variables an administrator would set for this endpoint (for subprocesses)."""
        return {"MEDIA_S3_BUCKET": BUCKET, "MEDIA_S3_ENDPOINT_URL": self.url, "MEDIA_S3_ACCESS_KEY_ID": ACCESS_KEY,
                "MEDIA_S3_SECRET_ACCESS_KEY": SECRET_KEY, "MEDIA_S3_REGION": REGION, "MEDIA_S3_PREFIX": prefix}


@pytest.fixture(scope="session")
def s3_server(tmp_path_factory):
    server = S3Server(tmp_path_factory.mktemp("moto") / "moto.log")
    server.start()
    yield server
    server.stop()


@pytest.fixture
def own_s3_server(tmp_path):
    server = S3Server(tmp_path / "moto.log")
    server.start()
    yield server
    server.stop()


class S3Media:
    """The media storage of one test on `server`: its prefix, and the objects under it."""

    def __init__(self, server: S3Server):
        self.server = server
        self.prefix = f"test-{uuid.uuid4().hex[:12]}"

    def objects(self) -> dict[str, bytes]:
        return self.server.objects(self.prefix)

    def environment(self) -> dict[str, str]:
        return self.server.environment(self.prefix)


def use_s3(settings, server: S3Server) -> S3Media:
    from iom_portal.settings import s3_storage_config

    media = S3Media(server)
    settings.STORAGES = {**settings.STORAGES, "default": s3_storage_config(
        bucket=BUCKET, endpoint_url=server.url, access_key=ACCESS_KEY, secret_key=SECRET_KEY, region=REGION,
        prefix=media.prefix, timeout=2)}
    return media


@pytest.fixture
def s3_media(settings, s3_server) -> S3Media:
    return use_s3(settings, s3_server)
