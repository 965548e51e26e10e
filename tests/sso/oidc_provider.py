"""A real OpenID provider for the OIDC tests: npm's oidc-provider run by Node.js (tests/sso/oidc/provider.js).

Installed into tests/sso/oidc/node_modules by `npm ci` (the Makefile's oidc-provider target; the
fixture runs it too when the folder is missing), started on a free 127.0.0.1 port with the portal
as its one client (redirect URI: the live server's callback) and the accounts below.
"""

import json
import re
import shutil
import subprocess
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

import requests

from tests.sso.ports import free_port

FOLDER = Path(__file__).resolve().parent / "oidc"
CLIENT_ID = "iom-portal"
CLIENT_SECRET = "oidc-test-client-secret"  # noqa: S105 (the test provider's)
# login → account: sub, e-mail, whether the provider vouches for the e-mail, groups
ACCOUNTS = {
    "ivanova": {"password": "idp-pass-ivanova", "sub": "sub-ivanova", "email": "ivanova@school.example",
                "email_verified": True},
    "kozlova": {"password": "idp-pass-kozlova", "sub": "sub-kozlova", "email": "kozlova@school.example",
                "email_verified": True, "groups": ["iom-deputies"]},
    "petrov": {"password": "idp-pass-petrov", "sub": "sub-petrov", "email": "petrov@school.example",
               "email_verified": True},
    "unverified": {"password": "idp-pass-unverified", "sub": "sub-unverified", "email": "unverified@school.example",
                   "email_verified": False},
    "chief": {"password": "idp-pass-chief", "sub": "sub-chief", "email": "chief@school.example",
              "email_verified": True},
}


def not_ready() -> str:
    """Why the provider cannot run here ("" when it can); installs its package when only that is missing."""
    node = shutil.which("node")
    if not node:
        return "Node.js is not installed (the oidc-provider tests need node 20 or newer)"
    version = subprocess.run([node, "--version"], capture_output=True, text=True, timeout=30).stdout.strip()
    major = re.match(r"v(\d+)", version)
    if not major or int(major.group(1)) < 20:
        return f"oidc-provider 9 needs Node.js 20 or newer, this machine has {version or 'an unknown version'}"
    if not (FOLDER / "node_modules" / "oidc-provider" / "package.json").exists():
        npm = shutil.which("npm")
        if not npm:
            return "npm is not installed: cannot install oidc-provider into tests/sso/oidc"
        result = subprocess.run([npm, "ci", "--no-audit", "--no-fund", "--prefix", str(FOLDER)],
                                capture_output=True, text=True, timeout=300)
        if result.returncode != 0:
            return f"npm ci in tests/sso/oidc failed: {result.stderr[-1000:]}"
    return ""


@dataclass
class OidcProvider:
    issuer: str
    process: subprocess.Popen
    folder: Path

    @property
    def discovery_url(self) -> str:
        return f"{self.issuer}/.well-known/openid-configuration"

    def env(self, **extra) -> dict[str, str]:
        """The portal's variables for this provider (docs/sso.md)."""
        return {"OIDC_RP_CLIENT_ID": CLIENT_ID, "OIDC_RP_CLIENT_SECRET": CLIENT_SECRET,
                "OIDC_OP_DISCOVERY_URL": self.discovery_url, "OIDC_PROVIDER_NAME": "региональный портал",
                "OIDC_TIMEOUT": "10", **extra}

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=10)
        shutil.rmtree(self.folder, ignore_errors=True)


def start(*, portal_url: str) -> OidcProvider:
    folder = Path(tempfile.mkdtemp(prefix="iom-oidc-"))
    port = free_port()
    issuer = f"http://127.0.0.1:{port}"
    config = {
        "issuer": issuer, "port": port,
        "client": {"client_id": CLIENT_ID, "client_secret": CLIENT_SECRET,
                   "redirect_uris": [f"{portal_url}/accounts/sso/oidc/callback/"]},
        "accounts": [{"login": login, **account} for login, account in ACCOUNTS.items()],
    }
    (folder / "config.json").write_text(json.dumps(config))
    log = open(folder / "provider.log", "wb")
    process = subprocess.Popen(["node", str(FOLDER / "provider.js"), str(folder / "config.json")], cwd=FOLDER,
                               stdout=log, stderr=subprocess.STDOUT)
    provider = OidcProvider(issuer=issuer, process=process, folder=folder)
    deadline = time.monotonic() + 30
    while True:
        try:
            if requests.get(provider.discovery_url, timeout=2).ok:
                return provider
        except requests.RequestException:
            pass
        if process.poll() is not None or time.monotonic() > deadline:
            output = (folder / "provider.log").read_text(errors="replace")[-2000:]
            provider.stop()
            raise RuntimeError(f"oidc-provider did not start on {issuer}: {output}")
        time.sleep(0.2)
