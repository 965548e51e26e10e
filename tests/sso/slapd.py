"""A real OpenLDAP server (Debian's slapd) for the LDAP tests: a test instance of its own.

Started on a free 127.0.0.1 port with a temporary slapd.conf and database, loaded offline with
slapadd, run as the `openldap` user when started by root, stopped at the end of the session. Its
directory is the school's: ou=people with the test users below, ou=groups with one groupOfNames.
"""

import os
import pwd
import shutil
import signal
import subprocess
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from tests.sso.ports import free_port

SUFFIX = "dc=school,dc=example"
PEOPLE = f"ou=people,{SUFFIX}"
GROUPS = f"ou=groups,{SUFFIX}"
ROOT_DN = f"cn=admin,{SUFFIX}"
ROOT_PASSWORD = "slapd-root-test"  # noqa: S105 (a throwaway test directory)
READER_DN = f"cn=portal,{SUFFIX}"
READER_PASSWORD = "portal-reader-test"  # noqa: S105
DEPUTIES = f"cn=iom-deputies,{GROUPS}"
DIRECTORS = f"cn=iom-directors,{GROUPS}"

# login → (mail or None, password, groups)
USERS = {
    "ivanova": ("ivanova@school.example", "dir-pass-ivanova", []),
    "kozlova": ("Kozlova@School.Example", "dir-pass-kozlova", [DEPUTIES]),
    "petrov": ("petrov@school.example", "dir-pass-petrov", []),
    "sidorova": ("sidorova@school.example", "dir-pass-sidorova", []),
    "chief": ("chief@school.example", "dir-pass-chief", []),
    "nomail": (None, "dir-pass-nomail", []),
}
SLAPD_PATHS = ("/usr/sbin/slapd", "/usr/sbin/slapadd")


def installed() -> bool:
    return all(Path(path).exists() for path in SLAPD_PATHS) and Path("/etc/ldap/schema/inetorgperson.schema").exists()


def _ldif() -> str:
    entries = [
        f"dn: {SUFFIX}\nobjectClass: dcObject\nobjectClass: organization\no: School\ndc: school",
        f"dn: {PEOPLE}\nobjectClass: organizationalUnit\nou: people",
        f"dn: {GROUPS}\nobjectClass: organizationalUnit\nou: groups",
        f"dn: {READER_DN}\nobjectClass: organizationalRole\nobjectClass: simpleSecurityObject\ncn: portal\n"
        f"userPassword: {READER_PASSWORD}",
    ]
    for login, (mail, password, _) in USERS.items():
        entry = (f"dn: uid={login},{PEOPLE}\nobjectClass: inetOrgPerson\nuid: {login}\ncn: {login.title()}\n"
                 f"sn: {login.title()}\nuserPassword: {password}")
        entries.append(entry + (f"\nmail: {mail}" if mail else ""))
    for group in (DEPUTIES, DIRECTORS):
        members = [f"uid={login},{PEOPLE}" for login, (_, _, groups) in USERS.items() if group in groups]
        # groupOfNames needs a member: the reader stands in for an empty group
        lines = "\n".join(f"member: {dn}" for dn in members or [READER_DN])
        entries.append(f"dn: {group}\nobjectClass: groupOfNames\ncn: {group.split(',')[0][3:]}\n{lines}")
    return "\n\n".join(entries) + "\n"


def _config(folder: Path) -> str:
    schemas = "\n".join(f"include /etc/ldap/schema/{name}.schema" for name in ("core", "cosine", "inetorgperson", "nis"))
    return f"""{schemas}
modulepath /usr/lib/ldap
moduleload back_mdb
pidfile {folder}/slapd.pid
argsfile {folder}/slapd.args
database mdb
maxsize 10485760
suffix "{SUFFIX}"
rootdn "{ROOT_DN}"
rootpw {ROOT_PASSWORD}
directory {folder}/data
access to attrs=userPassword by self write by anonymous auth by * none
access to * by dn.exact="{READER_DN}" read by self read by * none
"""


@dataclass
class Slapd:
    uri: str
    process: subprocess.Popen
    folder: Path

    def env(self, **extra) -> dict[str, str]:
        """The portal's variables for this directory (docs/sso.md)."""
        return {"LDAP_SERVER_URI": self.uri, "LDAP_BIND_DN": READER_DN, "LDAP_BIND_PASSWORD": READER_PASSWORD,
                "LDAP_USER_SEARCH_BASE": PEOPLE, "LDAP_USER_FILTER": "(uid=%(user)s)", "LDAP_TIMEOUT": "3", **extra}

    def admin(self):
        import ldap

        connection = ldap.initialize(self.uri)
        connection.simple_bind_s(ROOT_DN, ROOT_PASSWORD)
        return connection

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGINT)  # slapd's clean shutdown
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=10)
        shutil.rmtree(self.folder, ignore_errors=True)


def start() -> Slapd:
    # Not under pytest's 0700 tmp folders: slapd drops to the openldap user and must reach its files.
    folder = Path(tempfile.mkdtemp(prefix="iom-slapd-"))
    (folder / "data").mkdir()
    (folder / "slapd.conf").write_text(_config(folder))
    (folder / "directory.ldif").write_text(_ldif())
    run_as: list[str] = []
    if os.geteuid() == 0:
        try:
            account = pwd.getpwnam("openldap")
        except KeyError:
            account = None
        if account is not None:
            for path in (folder, folder / "data"):
                os.chown(path, account.pw_uid, account.pw_gid)
            run_as = ["-u", "openldap", "-g", "openldap"]
    subprocess.run(["/usr/sbin/slapadd", "-f", str(folder / "slapd.conf"), "-l", str(folder / "directory.ldif")],
                   check=True, capture_output=True, timeout=60)
    if run_as:
        for path in (folder / "data").iterdir():
            os.chown(path, account.pw_uid, account.pw_gid)
    port = free_port()
    uri = f"ldap://127.0.0.1:{port}"
    log = open(folder / "slapd.log", "wb")
    process = subprocess.Popen(["/usr/sbin/slapd", "-d", "0", "-h", uri, "-f", str(folder / "slapd.conf"), *run_as],
                               stdout=log, stderr=subprocess.STDOUT)
    server = Slapd(uri=uri, process=process, folder=folder)
    import ldap

    deadline = time.monotonic() + 30
    while True:
        try:
            server.admin().unbind_s()
            return server
        except ldap.LDAPError:
            if process.poll() is not None or time.monotonic() > deadline:
                server_log = (folder / "slapd.log").read_text(errors="replace")[-2000:]
                server.stop()
                raise RuntimeError(f"slapd did not start on {uri}: {server_log}") from None
            time.sleep(0.2)
