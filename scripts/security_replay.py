#!/usr/bin/env python
"""Replay of the findings of the black-box security test, over HTTP only.

    .venv/bin/python scripts/security_replay.py http://127.0.0.1:8100 [--lockout] [--only 1,3,7]

Prints one line per check, «OK <finding>: <what>», «FAIL <finding>: <what> — <what was seen>» or
«SKIP <finding>: <why>», and exits with status 1 when any check FAILs. Every reproduction of the
original report is sent again as the browser sends it (the login form with its CSRF token, the
pages' own forms), and "changes nothing" is verified over HTTP by reading the record again as an
account that can see it.

What the portal must have
-------------------------
The demo data (`manage.py load_demo`): the accounts teacher, deputy, director, methodist, regional,
admin with the password demo-iom-2026 (`--password` for another one), the demo school of the deputy
and a second municipality («Балахтинский район», which has no methodist in the demo). `admin` must be
a superuser: the script makes the accounts finding 1 needs through the Django admin pages over HTTP,
as `admin` — a superuser `replay-su-<tag>` and a municipal methodist `replay-mo-<tag>` of the second
municipality, each with its own e-mail (no `createsuperuser` is needed). Each run uses a fresh
random <tag>, so the script can be run again on the same database; what it leaves behind is named
after the tag (dismissed staff records «Подставной», an event and a project «Проверка <tag>», two
accounts, catalog resources «Ссылка … <tag>» where a link was wrongly accepted, report files).
The deputy has one route a year: on a second run the deputy's own route is already past review, and
the self-approval of the plan is reported as SKIP (the self-acceptance of results is checked again).

Run it on a copy with the demo, never on a working portal: it moves demo routes through the
workflow (the teacher's draft up to «Реализуется», the deputy's own route up to «Итоги на проверке»
through the director and the regional methodist), renames one demo teacher for the length of the
report check (and renames them back), and orders reports.

The two modes of the developers' brief
--------------------------------------
(A) embedded default — no variables; from the worktree (the SQLite file is <repo>/db.sqlite3):

    manage.py migrate && manage.py load_demo --if-empty
    manage.py runserver 127.0.0.1:8100 --noreload

(B) production settings — PostgreSQL, Redis, gunicorn and a Celery worker:

    createdb -h 127.0.0.1 -U postgres iom_replay
    export DATABASE_URL=postgres://postgres@127.0.0.1:5432/iom_replay REDIS_URL=redis://127.0.0.1:6379/14 \\
           SECRET_KEY=<long random> ALLOWED_HOSTS=127.0.0.1,localhost PORTAL_BASE_URL=http://127.0.0.1:8000 \\
           SECURE_SSL_REDIRECT=0 SECURE_COOKIES=0 MEDIA_ROOT=/tmp/iom-replay-media   # plain HTTP on 127.0.0.1
    manage.py migrate && DEBUG=1 manage.py load_demo --if-empty && manage.py collectstatic --noinput
    gunicorn iom_portal.wsgi -b 127.0.0.1:8101 -w 2 &
    celery -A iom_portal worker -l info --concurrency 1 &

SECURE_SSL_REDIRECT=0 and SECURE_COOKIES=0 only because the replay talks plain HTTP to 127.0.0.1;
everything else is production's (DEBUG off, whitenoise manifest, Redis broker and cache).

The login lockout (finding 7) is checked only with `--lockout`, and must be the last thing run
against that server: it makes 21 failed logins under different non-existent usernames, which locks
the script's address for AXES_COOLOFF_MINUTES. Reset it afterwards with

    manage.py axes_reset          # same environment as the server

In DEBUG (mode A) a 404 is Django's technical page, in English by design of DEBUG; the script then
checks the status code only. The five-reports limit of the registry export can be reached only
with a real worker (mode B): with eager Celery a report is built inside its own request (SKIP).
"""

import argparse
import csv
import datetime as dt
import io
import re
import secrets
import struct
import sys
import time
import traceback
import zipfile
import zlib
from urllib.parse import urljoin, urlsplit

import lxml.html
import openpyxl
import requests

PASSWORD = "demo-iom-2026"  # noqa: S105  (the demo accounts of README.md)
CYRILLIC = re.compile("[А-Яа-яЁё]")
ENGLISH_MARKERS = ("Forbidden", "CSRF verification failed", "Server Error", "Traceback", "Bad Request",
                   "Page not found", "Not Found", "This field is required", "Enter a valid")
FORMULA = '=HYPERLINK("http://evil.example/{tag}","x")'
TODAY = dt.date.today()


# ----------------------------------------------------------------------------------------- results

class Results:
    def __init__(self):
        self.failed = 0
        self.lines = []

    def report(self, status: str, finding: str, what: str, detail: str = "") -> None:
        line = f"{status} {finding}: {what}" + (f" — {detail}" if detail else "")
        self.lines.append(line)
        if status == "FAIL":
            self.failed += 1
        print(line, flush=True)

    verbose = False

    def check(self, finding: str, what: str, ok: bool, detail: str = "") -> bool:
        self.report("OK" if ok else "FAIL", finding, what, "" if ok else detail)
        if ok and self.verbose and detail:
            print(f"      {detail}", flush=True)
        return ok

    def skip(self, finding: str, what: str, why: str) -> None:
        self.report("SKIP", finding, what, why)


R = Results()


class Stop(Exception):
    """A step a finding depends on did not work: the finding's remaining checks cannot run."""


# ----------------------------------------------------------------------------------------- HTML

def squash(text: str) -> str:
    return re.sub(r"\s+", " ", text or "").strip()


def doc_of(html: str):
    return lxml.html.fromstring(html or "<html></html>")


def page_text(resp) -> str:
    try:
        return squash(doc_of(resp.text).text_content())
    except Exception:  # noqa: BLE001 - not HTML
        return squash(resp.text)


def alerts(resp, kinds=("danger", "warning", "success", "info")) -> list[str]:
    doc = doc_of(resp.text)
    found = []
    for kind in kinds:
        found += [squash(e.text_content()) for e in doc.xpath(f'//*[contains(@class, "alert-{kind}")]')]
    return found


def errors(resp) -> list[str]:
    """Messages the page shows as refusals: error alerts, field errors, the 403 page's explanation."""
    doc = doc_of(resp.text)
    found = [squash(e.text_content()) for e in doc.xpath(
        '//*[contains(@class, "alert-danger") or contains(@class, "invalid-feedback") '
        'or contains(@class, "errorlist") or contains(@class, "text-danger")][not(self::button)]')]
    if resp.status_code == 403:
        found += [squash(e.text_content()) for e in doc.xpath('//*[contains(@class, "page-help")]')]
    return [f for f in found if f]


def is_russian(message: str) -> bool:
    return bool(message) and bool(CYRILLIC.search(message)) and not any(m in message for m in ENGLISH_MARKERS)


def is_debug_page(resp) -> bool:
    return "You’re seeing this error because you have" in resp.text or "DEBUG = True" in resp.text


def short(resp) -> str:
    """What a response was, in one line, for a FAIL."""
    where = urlsplit(resp.url)
    msgs = errors(resp) or alerts(resp)
    text = "; ".join(msgs)[:300] if msgs else page_text(resp)[:200]
    return f"{resp.request.method} {where.path}{'?' + where.query if where.query else ''} → {resp.status_code}: {text}"


def form_values(form) -> list[tuple[str, str]]:
    """The pairs a browser sends for this form (text inputs without a value send '')."""
    pairs = []
    for el in form.xpath('.//input|.//select|.//textarea'):
        name = el.get("name")
        if not name or el.get("disabled") is not None:
            continue
        if el.tag == "input":
            kind = (el.get("type") or "text").lower()
            if kind in ("submit", "button", "image", "reset", "file"):
                continue
            if kind in ("checkbox", "radio"):
                if el.get("checked") is not None:
                    pairs.append((name, el.get("value", "on")))
                continue
            pairs.append((name, el.get("value", "")))
        elif el.tag == "textarea":
            pairs.append((name, el.text or ""))
        else:
            options = el.xpath(".//option")
            chosen = [o for o in options if o.get("selected") is not None]
            if el.get("multiple") is not None:
                pairs += [(name, o.get("value", o.text or "")) for o in chosen]
            elif chosen or options:
                o = (chosen or options)[0]
                pairs.append((name, o.get("value", o.text or "")))
    return pairs


def apply_changes(pairs, changes: dict) -> list[tuple[str, str]]:
    out = [(k, v) for k, v in pairs if k not in changes]
    for name, value in changes.items():
        if value is None:
            continue
        if isinstance(value, list | tuple):
            out += [(name, str(v)) for v in value]
        else:
            out.append((name, str(value)))
    return out


def select_options(resp, name: str) -> list[tuple[str, str]]:
    doc = doc_of(resp.text)
    return [(o.get("value", ""), squash(o.text_content())) for o in doc.xpath(f'//select[@name="{name}"]//option')]


def ids_in(html: str, pattern: str) -> list[int]:
    seen = []
    for m in re.finditer(pattern, html):
        value = int(m.group(1))
        if value not in seen:
            seen.append(value)
    return seen


# ----------------------------------------------------------------------------------------- the client

class Client:
    """One browser: a session with cookies, logged in through the login form."""

    def __init__(self, base: str, username: str | None = None, password: str = PASSWORD):
        self.base = base.rstrip("/")
        self.s = requests.Session()
        self.s.headers["User-Agent"] = "iom-security-replay"
        self.username = username
        if username:
            self.login(username, password)

    def url(self, path: str) -> str:
        return path if path.startswith("http") else self.base + path

    def get(self, path: str, **kw):
        kw.setdefault("timeout", 120)
        return self.s.get(self.url(path), **kw)

    def token(self) -> str:
        token = self.s.cookies.get("csrftoken")
        if not token:
            self.get("/accounts/login/")
            token = self.s.cookies.get("csrftoken", "")
        return token

    def post(self, path: str, data=None, files=None, referer: str | None = None, token: bool = True,
             htmx: bool = False, **kw):
        kw.setdefault("timeout", 300)
        data = list(data.items()) if isinstance(data, dict) else list(data or [])
        if token and not any(k == "csrfmiddlewaretoken" for k, _ in data):
            data.append(("csrfmiddlewaretoken", self.token()))
        headers = {"Referer": self.url(referer or path)}
        if htmx:
            headers.update({"HX-Request": "true", "HX-Current-URL": self.url(referer or path)})
        return self.s.post(self.url(path), data=data, files=files, headers=headers, **kw)

    def login(self, username: str, password: str = PASSWORD):
        page = self.get("/accounts/login/")
        form = next(f for f in doc_of(page.text).forms if f.xpath('.//input[@name="username"]'))
        data = apply_changes(form_values(form), {"username": username, "password": password})
        resp = self.post(page.url, data, referer=page.url)
        if "/accounts/login/" in urlsplit(resp.url).path:
            raise Stop(f"вход под {username} не удался: {short(resp)}")
        self.username = username
        return resp

    def form(self, resp, action: str | None = None, has: str | None = None):
        """The form of the page whose action contains `action` (or that has a field `has`)."""
        for f in doc_of(resp.text).forms:
            target = f.get("action") or f.get("hx-post") or urlsplit(resp.url).path
            if action is not None and action not in target:
                continue
            if has is not None and not f.xpath(f'.//*[@name="{has}"]'):
                continue
            if "logout" in target or (f.get("method") or "get").lower() != "post" and not f.get("hx-post"):
                continue
            return f
        raise Stop(f"на странице {urlsplit(resp.url).path} нет формы {action or has}")

    def submit(self, page, action: str | None = None, changes: dict | None = None, files=None, has: str | None = None,
               htmx: bool = False, **kw):
        """Fill the page's form as a browser would (its own values, then `changes`) and send it."""
        form = self.form(page, action, has)
        target = form.get("action") or form.get("hx-post") or page.url
        data = apply_changes(form_values(form), changes or {})
        return self.post(urljoin(page.url, target), data, files=files, referer=page.url, htmx=htmx, **kw)


# ----------------------------------------------------------------------------------------- files

def xlsx_bytes(headers: list[str], rows: list[list]) -> bytes:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(headers)
    for row in rows:
        ws.append(row)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def huge_dimension_xlsx(headers: list[str], rows: list[list] | None = None) -> bytes:
    """A small workbook whose sheet declares the range A1:XFD20000 (16384 × 20000 cells)."""
    source = zipfile.ZipFile(io.BytesIO(xlsx_bytes(headers, rows or [])))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            data = source.read(item.filename)
            if item.filename.startswith("xl/worksheets/sheet"):
                text = data.decode()
                if "<dimension" in text:
                    text = re.sub(r'<dimension ref="[^"]*"\s*/>', '<dimension ref="A1:XFD20000"/>', text)
                else:
                    text = text.replace("<sheetViews>", '<dimension ref="A1:XFD20000"/><sheetViews>', 1)
                data = text.encode()
            target.writestr(item, data)
    return out.getvalue()


def png_chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)


def huge_png(width: int = 13000, height: int = 13000) -> bytes:
    """A valid RGB PNG of width × height black points (~0.5 MB packed, 0.5 GB decoded)."""
    compressor = zlib.compressobj(9)
    row = b"\x00" + b"\x00" * (width * 3)
    packed = [compressor.compress(row) for _ in range(height)]
    packed.append(compressor.flush())
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + png_chunk(b"IHDR", header) + png_chunk(b"IDAT", b"".join(packed)) + \
        png_chunk(b"IEND", b"")


def small_png() -> bytes:
    compressor = zlib.compressobj(9)
    data = compressor.compress(b"".join(b"\x00" + b"\x80\x40\x20" * 8 for _ in range(8))) + compressor.flush()
    return b"\x89PNG\r\n\x1a\n" + png_chunk(b"IHDR", struct.pack(">IIBBBBB", 8, 8, 8, 2, 0, 0, 0)) + \
        png_chunk(b"IDAT", data) + png_chunk(b"IEND", b"")


def docx_bomb(path, gib: float = 1.0) -> None:
    """A DOCX of ~1 MB whose document.xml inflates to `gib` GiB of spaces (`path`: a file name or a file)."""
    content_types = ('<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/'
                     '2006/content-types"><Default Extension="xml" ContentType="application/xml"/><Override '
                     'PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.'
                     'wordprocessingml.document.main+xml"/></Types>')
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as z:
        z.writestr("[Content_Types].xml", content_types)
        z.writestr("_rels/.rels", '<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/'
                                  'package/2006/relationships"/>')
        chunk = b" " * (16 * 1024 * 1024)
        with z.open("word/document.xml", "w", force_zip64=True) as member:
            member.write(b'<?xml version="1.0"?><w:document xmlns:w="http://schemas.openxmlformats.org/'
                         b'wordprocessingml/2006/main"><w:body><w:p><w:r><w:t>')
            for _ in range(int(gib * 1024 / 16)):
                member.write(chunk)
            member.write(b"</w:t></w:r></w:p></w:body></w:document>")


FAKE_PDF = b"%PDF-1.4\n<html><body><script>alert(document.cookie)</script><h1>not a pdf</h1></body></html>\n"


class Files:
    """The hostile files, made once per run in a temporary directory."""

    def __init__(self):
        self._png = self._docx = None

    @property
    def png(self) -> bytes:
        if self._png is None:
            self._png = huge_png()
        return self._png

    @property
    def docx(self) -> bytes:
        if self._docx is None:
            out = io.BytesIO()
            docx_bomb(out)
            self._docx = out.getvalue()
        return self._docx


FILES = Files()


# ----------------------------------------------------------------------------------------- the portal's pages

def route_status(client: Client, pk: int) -> str:
    """The status code of a route as its page shows it (the badge route-status-<code>)."""
    resp = client.get(f"/routes/{pk}/")
    if resp.status_code != 200:
        raise Stop(f"страница ИОМ {pk} под {client.username}: {short(resp)}")
    m = re.search(r'route-status route-status-([a-z_]+)', resp.text)
    if not m:
        raise Stop(f"на странице ИОМ {pk} нет статуса")
    return m.group(1)


def registry_rows(client: Client, **filters) -> list[dict]:
    """The rows of «Реестр ИОМ» under a filter (every page)."""
    rows, page = [], 1
    while True:
        params = {**filters, "page": page}
        resp = client.get("/reports/registry/", params=params)
        if resp.status_code != 200:
            raise Stop(f"реестр под {client.username}: {short(resp)}")
        doc = doc_of(resp.text)
        for tr in doc.xpath("//table//tbody/tr"):
            cells = [squash(td.text_content()) for td in tr.xpath("td")]
            link = tr.xpath('.//a[starts-with(@href, "/routes/")]/@href')
            if len(cells) < 11 or not link:
                continue
            person = cells[2]
            rows.append({"id": int(re.search(r"/routes/(\d+)/", link[0]).group(1)), "municipality": cells[0],
                         "organisation": cells[1], "person": person, "year": cells[4], "status": cells[5],
                         "approved": cells[6], "credited": cells[7], "outcome": cells[10]})
        if f"page={page + 1}" not in resp.text or page >= 30:
            return rows
        page += 1


def messages_after(resp) -> str:
    return " | ".join(alerts(resp)) or " | ".join(errors(resp))


def refused_in_russian(resp, expect_status=(403,)) -> tuple[bool, str]:
    msgs = errors(resp) + alerts(resp, ("danger", "warning"))
    ok = resp.status_code in expect_status and any(is_russian(m) for m in msgs)
    return ok, short(resp)


class Demo:
    """What the demo gives: the accounts, the deputy's school, its municipality."""

    def __init__(self, base: str, password: str):
        self.base, self.password = base, password
        self.tag = secrets.token_hex(3)
        self._clients: dict[str, Client] = {}
        self._org = None

    def as_(self, username: str) -> Client:
        if username not in self._clients:
            self._clients[username] = Client(self.base, username, self.password)
        return self._clients[username]

    @property
    def school(self) -> tuple[int, str]:
        """(pk, short name) of the deputy's school."""
        if self._org is None:
            resp = self.as_("deputy").get("/organisations/")
            pks = ids_in(resp.text, r'href="/organisations/(\d+)/"')
            if not pks:
                raise Stop(f"у заместителя нет организации: {short(resp)}")
            page = self.as_("deputy").get(f"/organisations/{pks[0]}/")
            name = squash(doc_of(page.text).xpath("//h1")[0].text_content())
            self._org = (pks[0], name)
        return self._org

    def municipality_id(self) -> int:
        resp = self.as_("methodist").get("/reports/dashboard/")
        m = re.search(r"/reports/municipality/(\d+)/", resp.url)
        if not m:
            raise Stop(f"у методиста нет муниципалитета: {short(resp)}")
        return int(m.group(1))


# ----------------------------------------------------------------------------------------- workflow helpers

def approve_form_changes(page) -> dict:
    """Full marks on every criterion of the express review form on `page`."""
    names = sorted({el.get("name") for el in doc_of(page.text).xpath('//input[@type="radio"]') if el.get("name")})
    names = [n for n in names if n not in ("outcome", "outcome_proposed")]
    return {name: "2" for name in names}


def do_action(client: Client, pk: int, action: str, changes: dict | None = None):
    page = client.get(f"/routes/{pk}/action/{action}/")
    if page.status_code != 200 or f"/routes/{pk}/action/{action}/" not in page.url:
        raise Stop(f"{client.username}: действие {action} с ИОМ {pk} недоступно: {short(page)}")
    extra = dict(changes or {})
    if action == "approve":
        extra = {**approve_form_changes(page), **extra}
    resp = client.submit(page, f"/routes/{pk}/action/{action}/", extra)
    if f"/action/{action}/" in resp.url:
        raise Stop(f"{client.username}: действие {action} с ИОМ {pk} не выполнено: {short(resp)}")
    return resp


def own_route(client: Client) -> int | None:
    resp = client.get("/routes/my/")
    ids = ids_in(resp.text, r'href="/routes/(\d+)/"')
    year = current_year()
    for pk in ids:
        page = client.get(f"/routes/{pk}/")
        if year in page_text(page):
            return pk
    return None


def current_year(day: dt.date = TODAY) -> str:
    start = day.year if day.month >= 9 else day.year - 1
    return f"{start}-{start + 1}"


def fill_new_route(client: Client, pk: int, tag: str) -> None:
    """The explanatory note and one activity, where the route has none yet."""
    if "Проверка самосогласования" in client.get(f"/routes/{pk}/").text:
        if activity_ids(client, pk):
            return
        return add_activity(client, pk, tag)
    page = client.get(f"/routes/{pk}/note/")
    resp = client.submit(page, has="topic", changes={
        "topic": f"Проверка самосогласования {tag}", "goal": "Проверить, что свой ИОМ не согласуют сами",
        "tasks_text": "1. Отправить ИОМ.", "expected_result": "Отказ в самосогласовании",
        "reporting_form": "отчет", "diagnostics_summary": "самооценка", "self_education_form": "индивидуальная",
        "city": "с. Новоселово"})
    if f"/routes/{pk}/" not in resp.url or "/note/" in resp.url:
        raise Stop(f"пояснительная записка не сохранена: {short(resp)}")
    if not activity_ids(client, pk):
        add_activity(client, pk, tag)


def add_activity(client: Client, pk: int, tag: str) -> None:
    route_page = client.get(f"/routes/{pk}/")
    version = re.search(r'id="route-version" name="version" value="(\d+)"', route_page.text).group(1)
    page = client.get(f"/routes/{pk}/activities/new/", headers={"HX-Request": "true"})
    start = TODAY + dt.timedelta(days=20)
    resp = client.submit(page, has="title", htmx=True, changes={
        "title": f"Мероприятие проверки {tag}", "deadline": start.isoformat(), "version": version,
        "kind": next(v for v, _ in select_options(page, "kind") if v),
        "expected_result": "справка", "confirming_document": "справка"})
    if resp.status_code != 200 or "Мероприятие проверки" not in client.get(f"/routes/{pk}/").text:
        raise Stop(f"мероприятие не добавлено: {short(resp)}")


# ========================================================================================= finding 1

def admin_create_user(admin: Client, username: str, password: str, email: str, first: str, last: str,
                      superuser: bool = False) -> int:
    page = admin.get("/admin/auth/user/add/")
    resp = admin.submit(page, has="username", changes={
        "username": username, "usable_password": "true", "password1": password, "password2": password,
        "_continue": "1"})
    m = re.search(r"/admin/auth/user/(\d+)/change/", resp.url)
    if not m:
        raise Stop(f"admin: учетная запись {username} не создана: {short(resp)}")
    pk = int(m.group(1))
    page = admin.get(f"/admin/auth/user/{pk}/change/")
    changes = {"first_name": first, "last_name": last, "email": email, "is_active": "on", "_continue": "1"}
    if superuser:
        changes.update(is_staff="on", is_superuser="on")
    resp = admin.submit(page, has="first_name", changes=changes)
    if f"/admin/auth/user/{pk}/change/" not in resp.url or errors(resp):
        raise Stop(f"admin: учетная запись {username} не изменена: {short(resp)}")
    return pk


def admin_user_state(admin: Client, pk: int) -> dict:
    page = admin.get(f"/admin/auth/user/{pk}/change/")
    values = dict(form_values(admin.form(page, has="first_name")))
    return {"first_name": values.get("first_name"), "last_name": values.get("last_name"),
            "email": values.get("email"), "is_active": values.get("is_active") == "on",
            "is_superuser": values.get("is_superuser") == "on", "is_staff": values.get("is_staff") == "on"}


def admin_memberships(admin: Client, username: str) -> list[str]:
    resp = admin.get("/admin/schools/membership/", params={"q": username})
    rows = []
    for tr in doc_of(resp.text).xpath('//table[@id="result_list"]/tbody/tr'):
        cells = [squash(c.text_content()) for c in tr.xpath("th|td")]
        if any(username == c or username in c.split() for c in cells) or username in " ".join(cells):
            rows.append(" / ".join(cells[1:]))
    return rows


def admin_link_requests(admin: Client, username: str) -> list[str]:
    resp = admin.get("/admin/schools/accountlinkinvitation/", params={"q": username})
    return [" / ".join(squash(c.text_content()) for c in tr.xpath("th|td")[1:])
            for tr in doc_of(resp.text).xpath('//table[@id="result_list"]/tbody/tr')]


def finding_1(demo: Demo) -> None:
    admin, deputy = demo.as_("admin"), demo.as_("deputy")
    tag = demo.tag
    password = "Rp-" + secrets.token_urlsafe(12)
    page = admin.get("/admin/schools/membership/add/")
    other = next((v for v, label in select_options(page, "municipality") if label == "Балахтинский район"), None)
    if page.status_code != 200 or other is None:
        raise Stop(f"admin: нет второго муниципалитета «Балахтинский район» или админки: {short(page)}")
    targets = {
        "su": dict(username=f"replay-su-{tag}", email=f"replay-su-{tag}@example.org", first="Суперпользователь",
                   last="Проверочный", superuser=True),
        "mo": dict(username=f"replay-mo-{tag}", email=f"replay-mo-{tag}@example.org", first="Мария",
                   last="Чужая", superuser=False),
    }
    for t in targets.values():
        t["pk"] = admin_create_user(admin, t["username"], password, t["email"], t["first"], t["last"],
                                    superuser=t["superuser"])
    resp = admin.submit(page, has="role", changes={"user": targets["mo"]["pk"], "role": "municipal_methodist",
                                                   "municipality": other, "organisation": "", "region": ""})
    if errors(resp):
        raise Stop(f"admin: роль методиста не выдана: {short(resp)}")
    for t in targets.values():
        t["before"] = admin_user_state(admin, t["pk"])
        t["roles_before"] = admin_memberships(admin, t["username"])
    org_pk, _ = demo.school
    for key, t in targets.items():
        who = "суперпользователя" if key == "su" else "методиста другого муниципалитета"
        page = deputy.get(f"/organisations/{org_pk}/staff/new/")
        resp = deputy.submit(page, has="last_name", changes={
            "last_name": "Подставной", "first_name": f"{t['first']}-{tag}", "middle_name": "",
            "position": "учитель (математика)", "email": t["email"], "status": "working"})
        m = re.search(r"/staff/(\d+)/$", urlsplit(resp.url).path)
        if not m:
            # Refusing the record itself is a refusal too (nothing can be invited then).
            ok, seen = refused_in_russian(resp, (200,))
            R.check("1", f"карточка с e-mail {who}: отказ или приглашение не трогает учетную запись", ok, seen)
            continue
        staff_pk = int(m.group(1))
        page = deputy.get(f"/staff/{staff_pk}/")
        resp = deputy.submit(page, f"/staff/{staff_pk}/invite/")
        said = messages_after(resp)
        if key == "su":
            R.check("1", "приглашение на e-mail суперпользователя отклонено с понятным сообщением",
                    bool(alerts(resp, ("danger",))) and is_russian(said) and "служебн" in said,
                    f"заместитель, POST /staff/{staff_pk}/invite/ → {said or short(resp)}")
        else:
            R.check("1", "приглашение на e-mail чужой учетной записи: только письмо владельцу со ссылкой",
                    ("владельцу" in said.lower() or "подтвердит" in said.lower()) and is_russian(said)
                    and not alerts(resp, ("danger",)),
                    f"заместитель, POST /staff/{staff_pk}/invite/ → {said or short(resp)}")
            requests_ = admin_link_requests(admin, t["username"])
            R.check("1", "владельцу учетной записи создана ссылка-подтверждение (видна в админке)",
                    len(requests_) >= 1, f"/admin/schools/accountlinkinvitation/?q={t['username']}: {requests_}")
        detail = page_text(deputy.get(f"/staff/{staff_pk}/"))
        R.check("1", f"карточка не связана с учетной записью {who}", bool(re.search(r"Учетная запись\s*нет", detail)),
                f"/staff/{staff_pk}/: «{detail[detail.find('Учетная запись'):][:120]}»")
        page = deputy.get(f"/staff/{staff_pk}/dismiss/")
        resp = deputy.submit(page, has="dismissed_on", changes={"dismissed_on": TODAY.strftime("%Y-%m-%d")})
        R.check("1", f"увольнение карточки {who} оформлено (часть воспроизведения)", "уволь" in messages_after(resp).lower(),
                short(resp))
        after = admin_user_state(admin, t["pk"])
        R.check("1", f"учетная запись {who} не изменилась (имя, e-mail, активна, права)", after == t["before"],
                f"/admin/auth/user/{t['pk']}/change/: было {t['before']}, стало {after}")
        roles = admin_memberships(admin, t["username"])
        R.check("1", f"у {who} не появилось ролей", roles == t["roles_before"],
                f"/admin/schools/membership/?q={t['username']}: было {t['roles_before']}, стало {roles}")
        try:
            own = Client(demo.base, t["username"], password)
            ok, seen = True, ""
            if key == "mo":
                resp = own.get("/routes/my/")
                ok, seen = resp.status_code == 403, f"/routes/my/ под {t['username']} → {resp.status_code}"
            R.check("1", f"учетная запись {who} по-прежнему входит, роли педагога нет", ok, seen)
        except Stop as exc:
            R.check("1", f"учетная запись {who} по-прежнему входит", False, str(exc))


# ========================================================================================= finding 2

ROUTE_HEADERS = ["ОО", "Фамилия", "Имя", "Отчество", "Учебный год", "Тема", "Статус", "Дата утверждения",
                 "Дата зачета", "Результат"]


def split_name(full: str) -> tuple[str, str, str]:
    parts = full.split()
    return parts[0], parts[1] if len(parts) > 1 else "", " ".join(parts[2:])


def upload_import(client: Client, kind: str, name: str, data: bytes):
    page = client.get(f"/imports/{kind}/")
    if page.status_code != 200:
        return page
    return client.submit(page, has="file", files={"file": (name, data,
                         "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")})


def preview_rows(resp) -> dict[int, tuple[str, str]]:
    """Row number → (outcome, errors) of an import preview's table."""
    found = {}
    for tr in doc_of(resp.text).xpath("//table//tbody/tr"):
        cells = [squash(td.text_content()) for td in tr.xpath("td|th")]
        if len(cells) >= 3 and cells[0].isdigit():
            found[int(cells[0])] = (cells[1], cells[2])
    return found


def finding_2(demo: Demo) -> None:
    deputy, methodist = demo.as_("deputy"), demo.as_("methodist")
    org_pk, org_name = demo.school
    year = current_year()
    awaiting = registry_rows(methodist, organisation=org_pk, year=year, status="awaiting_credit")
    submitted = registry_rows(methodist, organisation=org_pk, year=year, status="submitted")
    if not awaiting or not submitted:
        raise Stop(f"в демо-школе нет ИОМ «На проверке (зачет)» и «На согласовании» ({len(awaiting)}, {len(submitted)})")
    a, s = awaiting[0], submitted[0]
    teacher_route = own_route(demo.as_("teacher"))
    teacher_name = squash(re.search(r"ИОМ: ([^<]+?)</h1>", demo.as_("teacher").get(f"/routes/{teacher_route}/").text)
                          .group(1)) if teacher_route else None
    past = "2021-2022"
    today = TODAY.strftime("%d.%m.%Y")
    rows = [
        [org_name, *split_name(a["person"]), year, "Реализация без зачета", "Реализуется", today, today, None],
        [org_name, *split_name(s["person"]), year, "Завершение без согласования", "Завершен", today, today,
         "достигнут полностью"],
    ]
    if teacher_name:
        rows.append([org_name, *split_name(teacher_name), past, "Старый ИОМ", "Завершен", "15.10.2021", "01.11.2021",
                     "достигнут полностью"])
    data = xlsx_bytes(ROUTE_HEADERS, rows)
    before = {r["id"]: r for r in (a, s)}
    before_past = [r for r in registry_rows(methodist, organisation=org_pk, year=past)]

    # the deputy: refused, page and POST
    page = deputy.get("/imports/routes/")
    ok, seen = refused_in_russian(page)
    R.check("2", "заместителю загрузка реестра ИОМ недоступна (страница)", ok, f"заместитель, {seen}")
    resp = deputy.post("/imports/routes/", files={"file": ("routes.xlsx", data)}, referer="/imports/")
    ok, seen = refused_in_russian(resp)
    R.check("2", "заместителю загрузка реестра ИОМ отклонена (POST файла)", ok, f"заместитель, {seen}")
    index = deputy.get("/imports/")
    R.check("2", "в списке загрузок заместителя нет реестра ИОМ", "/imports/routes/" not in index.text,
            "на /imports/ есть ссылка /imports/routes/")

    # the municipal methodist (the region credits here): every row is an error, nothing is written
    resp = upload_import(methodist, "routes", "routes.xlsx", data)
    preview = resp
    m = re.search(r"/imports/routes/([0-9a-f-]{36})/", resp.url)
    if not m:
        R.check("2", "методист: файл принят к проверке", False, short(resp))
        return
    token = m.group(1)
    outcome = preview_rows(preview)
    expected = [(2, "смена статуса «На проверке (зачет)» → «Реализуется» с датой зачета", "статус"),
                (3, "смена статуса «На согласовании» → «Завершен / достигнут полностью»", "статус"),
                (4, "дата зачета в муниципалитете, где зачитывает регион", "зачет")][:len(rows)]
    for number, what, word in expected:
        result, problem = outcome.get(number, ("", ""))
        R.check("2", f"методист: строка {number} — ошибка ({what})",
                result == "ошибка" and word in problem.lower() and is_russian(problem),
                f"предпросмотр /imports/routes/{token}/, строка {number}: {result or 'нет строки'} {problem[:200]}")
    resp = methodist.post(f"/imports/routes/{token}/confirm/", {}, referer=preview.url)
    said = messages_after(resp)
    R.check("2", "методист: подтверждение загрузки с ошибками ничего не записывает",
            "загружено" not in said.lower() or "создано: 0, обновлено: 0" in said.lower(),
            f"POST /imports/routes/{token}/confirm/ → {said or short(resp)}")
    for pk, row in before.items():
        now = [r for r in registry_rows(methodist, organisation=org_pk, year=year) if r["id"] == pk]
        same = bool(now) and now[0]["status"] == row["status"] and now[0]["credited"] == row["credited"] \
            and now[0]["outcome"] == row["outcome"]
        R.check("2", f"ИОМ {pk} ({row['status']}) не изменился: статус, дата зачета, результат", same,
                f"реестр под методистом: было {row['status']}/{row['credited']}/{row['outcome']}, стало "
                f"{now[0]['status'] + '/' + now[0]['credited'] + '/' + now[0]['outcome'] if now else 'нет строки'}")
        status = route_status(demo.as_("deputy"), pk)
        R.check("2", f"ИОМ {pk}: страница у заместителя показывает прежний статус",
                {"На проверке (зачет)": "awaiting_credit", "На согласовании": "submitted"}[row["status"]] == status,
                f"/routes/{pk}/ под заместителем: {status}")
    if teacher_name:
        after_past = registry_rows(methodist, organisation=org_pk, year=past)
        R.check("2", f"ИОМ {past} с датой зачета методиста не создан", len(after_past) == len(before_past),
                f"реестр {past}: было {len(before_past)}, стало {len(after_past)} строк")


# ========================================================================================= finding 3

def finding_3(demo: Demo) -> None:
    deputy, director, regional = demo.as_("deputy"), demo.as_("director"), demo.as_("regional")
    pk = own_route(deputy)
    if pk is None:
        resp = deputy.submit(deputy.get("/routes/my/"), "/routes/new/")
        m = re.search(r"/routes/(\d+)/$", urlsplit(resp.url).path)
        if not m:
            raise Stop(f"заместитель не создал свой ИОМ: {short(resp)}")
        pk = int(m.group(1))
    status = route_status(deputy, pk)
    if status in ("draft", "returned", "not_credited"):
        fill_new_route(deputy, pk, demo.tag)
        do_action(deputy, pk, "submit")
        status = route_status(deputy, pk)
    tested_plan = False
    if status == "submitted":
        tested_plan = True
        queue = deputy.get("/routes/review/")
        R.check("3", "свой ИОМ заместителя не в его очереди «Согласование»", f"/routes/{pk}/" not in queue.text,
                f"/routes/review/ под заместителем ссылается на /routes/{pk}/")
        page = deputy.get(f"/routes/{pk}/review/")
        ok, seen = refused_in_russian(page)
        R.check("3", "страница согласования своего ИОМ закрыта с объяснением", ok, f"заместитель, {seen}")
        page = deputy.get(f"/routes/{pk}/")
        R.check("3", "на странице своего ИОМ нет кнопки «Согласовать»", f"/routes/{pk}/action/approve/" not in page.text,
                f"/routes/{pk}/ под заместителем ссылается на action/approve")
        reviewer_form = director.get(f"/routes/{pk}/action/approve/")
        scores = approve_form_changes(reviewer_form) or {c: "2" for c in
                                                           ("goal", "tasks", "activities", "deadlines", "results")}
        resp = deputy.post(f"/routes/{pk}/action/approve/", {**scores, "comment": "сам себе"},
                           referer=f"/routes/{pk}/")
        ok, seen = refused_in_russian(resp)
        R.check("3", "согласование своего ИОМ с полными баллами отклонено", ok, f"заместитель, {seen}")
        resp = deputy.post(f"/routes/{pk}/action/return/", {"comment": "сам себе"}, referer=f"/routes/{pk}/")
        ok, seen = refused_in_russian(resp)
        R.check("3", "возврат своего ИОМ отклонен", ok, f"заместитель, {seen}")
        now = route_status(director, pk)
        R.check("3", "свой ИОМ остался «На согласовании» (страница у директора)", now == "submitted",
                f"/routes/{pk}/ под директором: {now}")
        queue = director.get("/routes/review/")
        R.check("3", "ИОМ заместителя в очереди директора", f"/routes/{pk}/" in queue.text,
                "нет в /routes/review/ директора")
        resp = do_action(director, pk, "approve", {"comment": "Согласовано директором"})
        status = route_status(director, pk)
        if status not in ("awaiting_credit", "in_progress"):
            raise Stop(f"директор не согласовал ИОМ {pk}: {short(resp)}")
    if status == "awaiting_credit":
        resp = deputy.post(f"/routes/{pk}/action/credit/", {}, referer=f"/routes/{pk}/")
        ok, seen = refused_in_russian(resp)
        R.check("3", "зачет своего ИОМ отклонен", ok, f"заместитель, {seen}")
        do_action(regional, pk, "credit")
        status = route_status(regional, pk)
    if status == "in_progress":
        do_action(deputy, pk, "submit_results", {"reflection": "Итоги для проверки самоприема",
                                                 "outcome_proposed": "full"})
        status = route_status(deputy, pk)
    if status != "results_submitted":
        R.check("3", "свой ИОМ дошел до «Итоги на проверке»", False, f"ИОМ {pk} в статусе {status}")
        return
    queue = deputy.get("/routes/review/")
    R.check("3", "итоги своего ИОМ не в очереди заместителя", f"/routes/{pk}/" not in queue.text,
            f"/routes/review/ под заместителем ссылается на /routes/{pk}/")
    resp = deputy.post(f"/routes/{pk}/action/accept_results/", {"outcome": "full", "comment": "сам себе",
                                                                 "presented_on": "", "presented_place": "ШМО"},
                       referer=f"/routes/{pk}/")
    ok, seen = refused_in_russian(resp)
    R.check("3", "прием итогов своего ИОМ отклонен", ok, f"заместитель, {seen}")
    now = route_status(director, pk)
    R.check("3", "свой ИОМ остался «Итоги на проверке» (страница у директора)", now == "results_submitted",
            f"/routes/{pk}/ под директором: {now}")
    if not tested_plan:
        R.skip("3", "согласование своего ИОМ", f"ИОМ {pk} заместителя уже прошел согласование в прошлом прогоне")


# ========================================================================================= findings 4 and 6

def wait_for_jobs(client: Client, before: set[str], count: int, timeout: float = 240) -> list[str]:
    deadline = time.time() + timeout
    while time.time() < deadline:
        page = client.get("/reports/")
        links = re.findall(r'href="(/reports/jobs/[0-9a-f-]{36}/download/)"', page.text)
        new = [link for link in dict.fromkeys(links) if link not in before]
        failed = "text-bg-danger" in page.text and len(new) < count
        if len(new) >= count:
            return new
        if failed and time.time() > deadline - timeout + 30:
            break
        time.sleep(2)
    raise Stop(f"отчеты не сформированы за {timeout:.0f} с: {page_text(client.get('/reports/'))[-400:]}")


def order_report(client: Client, changes: dict):
    page = client.get("/reports/")
    resp = client.submit(page, has="kind", changes=changes)
    if "Отчет заказан" not in messages_after(resp):
        raise Stop(f"отчет не заказан ({changes.get('kind')}): {short(resp)}")
    return resp


def formula_cells(data: bytes) -> tuple[list[str], list[str]]:
    """(cells that are formulas, cells whose text contains HYPERLINK) of every sheet."""
    wb = openpyxl.load_workbook(io.BytesIO(data))
    formulas, texts = [], []
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                if cell.data_type == "f":
                    formulas.append(f"{ws.title}!{cell.coordinate}={cell.value}")
                elif isinstance(cell.value, str) and "HYPERLINK" in cell.value:
                    texts.append(f"{ws.title}!{cell.coordinate}")
    return formulas, texts


def edit_title(client: Client, path: str, title: str):
    page = client.get(path)
    if page.status_code != 200:
        raise Stop(f"{client.username}: {short(page)}")
    return client.submit(page, has="title", changes={"title": title})


def detail_title(client: Client, path: str) -> str:
    return page_text(client.get(path))


def finding_4_6(demo: Demo) -> None:
    deputy, methodist = demo.as_("deputy"), demo.as_("methodist")
    tag, org_pk, year = demo.tag, demo.school[0], current_year()
    formula = FORMULA.format(tag=tag)
    municipality = demo.municipality_id()

    # 6: an existing event and project of the demo, edited and put back
    events = methodist.get("/methodics/events/")
    event_ids = ids_in(events.text, r'href="/methodics/events/(\d+)/"')
    projects = methodist.get("/methodics/projects/")
    project_ids = ids_in(projects.text, r'href="/methodics/projects/(\d+)/"')
    for kind, ids in (("events", event_ids), ("projects", project_ids)):
        if not ids:
            R.check("6", f"есть {kind} для правки", False, f"/methodics/{kind}/ пуст")
            continue
        pk = ids[0]
        page = methodist.get(f"/methodics/{kind}/{pk}/edit/")
        old = dict(form_values(methodist.form(page, has="title")))["title"]
        new = f"{old} (проверка {tag})"
        resp = edit_title(methodist, f"/methodics/{kind}/{pk}/edit/", new)
        shown = page_text(methodist.get(f"/methodics/{kind}/{pk}/"))
        R.check("6", f"правка названия ({kind} {pk}) сохраняется и видна после", new in shown,
                f"POST /methodics/{kind}/{pk}/edit/ → «{messages_after(resp)}», на /methodics/{kind}/{pk}/ "
                f"нет «{new}»")
        edit_title(methodist, f"/methodics/{kind}/{pk}/edit/", old)
        R.check("6", f"название ({kind} {pk}) возвращено", old in page_text(methodist.get(f"/methodics/{kind}/{pk}/")),
                "прежнее название не вернулось")

    # a person of the demo school with a route under implementation: in the audit's "under 50 %"
    monitor = deputy.get("/routes/monitor/", params={"organisation": org_pk, "year": year})
    teacher_route = own_route(demo.as_("teacher"))
    candidates = [pk for pk in ids_in(monitor.text, r'href="/routes/(\d+)/"') if pk != teacher_route]
    person = None
    for route_pk in candidates:
        if route_status(deputy, route_pk) == "in_progress":
            page = deputy.get(f"/routes/{route_pk}/")
            name = squash(re.search(r"<h1[^>]*>\s*ИОМ: ([^<]+?)</h1>", page.text).group(1))
            person = (route_pk, name)
            break
    if person is None:
        raise Stop("в демо-школе нет реализуемого ИОМ для аудита")
    route_pk, full_name = person
    last, first, middle = split_name(full_name)
    staff_list = deputy.get(f"/organisations/{org_pk}/", params={"q": f"{last} {first}"})
    staff_ids = ids_in(staff_list.text, r'href="/staff/(\d+)/"')
    staff_pk = None
    for pk in staff_ids:
        if full_name in page_text(deputy.get(f"/staff/{pk}/")):
            staff_pk = pk
            break
    if staff_pk is None:
        raise Stop(f"карточка {full_name} не найдена")
    page = deputy.get(f"/staff/{staff_pk}/edit/")
    resp = deputy.submit(page, has="last_name", changes={"last_name": formula})
    renamed = formula in page_text(deputy.get(f"/staff/{staff_pk}/"))
    if not renamed:
        raise Stop(f"заместитель не сохранил фамилию-формулу: {short(resp)}")
    try:
        # the methodist's event and project with formula titles (6: the edits of new ones too)
        page = methodist.get("/methodics/events/new/")
        organiser = next((v for v, _ in select_options(page, "organiser") if v.startswith("m:")), None)
        kinds = [v for v, _ in select_options(page, "kind") if v]
        resp = methodist.submit(page, has="title", changes={
            "organiser": organiser, "kind": kinds[0], "title": f"Проверка {tag}", "held_on": TODAY.isoformat(),
            "place": "ММЦ", "hours": "2", "description": "проверка"})
        m = re.search(r"/methodics/events/(\d+)/$", urlsplit(resp.url).path)
        if not m:
            raise Stop(f"методист не создал мероприятие: {short(resp)}")
        event_pk = int(m.group(1))
        resp = edit_title(methodist, f"/methodics/events/{event_pk}/edit/", formula)
        R.check("6", "новое мероприятие: правка названия сохраняется",
                formula in page_text(methodist.get(f"/methodics/events/{event_pk}/")),
                f"POST /methodics/events/{event_pk}/edit/ → «{messages_after(resp)}»")
        page = methodist.get("/methodics/projects/new/")
        resp = methodist.submit(page, has="title", changes={
            "title": f"Проверка {tag}", "goal": "проверка формул", "municipality": str(municipality),
            "starts_on": (TODAY - dt.timedelta(days=30)).isoformat(), "ends_on": (TODAY + dt.timedelta(days=90)).isoformat(),
            "organisations": [org_pk], "events": [event_pk]})
        m = re.search(r"/methodics/projects/(\d+)/$", urlsplit(resp.url).path)
        if not m:
            raise Stop(f"методист не создал проект: {short(resp)}")
        project_pk = int(m.group(1))
        new_title = f"{formula} проект"
        resp = edit_title(methodist, f"/methodics/projects/{project_pk}/edit/", new_title)
        R.check("6", "новый проект: правка названия сохраняется",
                new_title in page_text(methodist.get(f"/methodics/projects/{project_pk}/")),
                f"POST /methodics/projects/{project_pk}/edit/ → «{messages_after(resp)}»")
        page = methodist.get(f"/methodics/projects/{project_pk}/")
        resp = methodist.post(f"/methodics/projects/{project_pk}/participants/add/", {"person": staff_pk},
                              referer=page.url)
        if formula not in page_text(methodist.get(f"/methodics/projects/{project_pk}/")):
            raise Stop(f"участник не добавлен в проект: {short(resp)}")

        before = set(re.findall(r'href="(/reports/jobs/[0-9a-f-]{36}/download/)"', methodist.get("/reports/").text))
        order_report(methodist, {"kind": "audit", "format": "xlsx", "municipality": municipality,
                                 "organisation": org_pk, "cohort": year})
        order_report(methodist, {"kind": "project", "format": "xlsx", "project": project_pk,
                                 "municipality": municipality})
        for fmt in ("xlsx", "csv"):
            resp = methodist.post("/reports/registry/export/", {"organisation": org_pk, "year": year, "format": fmt},
                                  referer="/reports/registry/")
            if "заказана" not in messages_after(resp):
                raise Stop(f"выгрузка реестра {fmt} не заказана: {short(resp)}")
        links = wait_for_jobs(methodist, before, 4)
        for link in links:
            resp = methodist.get(link)
            name = re.search(r'filename="?([^";]+)', resp.headers.get("Content-Disposition", ""))
            name = name.group(1) if name else link
            if name.endswith(".csv"):
                text = resp.content.decode("utf-8-sig", "replace")
                delimiter = ";" if text.split("\n", 1)[0].count(";") >= text.split("\n", 1)[0].count(",") else ","
                fields = [f for row in csv.reader(io.StringIO(text), delimiter=delimiter) for f in row]
                bare = [f for f in fields if f[:1] in ("=", "+", "@") or f.startswith("-") and not f[1:2].isdigit()]
                marked = [f for f in fields if f.startswith("'=")]
                R.check("4", f"{name}: значения-формулы в CSV с ведущим апострофом", not bare and bool(marked),
                        f"методист, GET {link}: без апострофа {bare[:3]}, с апострофом {marked[:3]}")
                continue
            formulas, texts = formula_cells(resp.content)
            R.check("4", f"{name}: ни одной ячейки-формулы", not formulas, f"методист, GET {link}: {formulas[:5]}")
            R.check("4", f"{name}: текст пользователя попал в отчет как текст ({', '.join(texts[:6])})", bool(texts),
                    f"в {name} нет ячеек с «HYPERLINK» — проверка ничего не проверила")
    finally:
        page = deputy.get(f"/staff/{staff_pk}/edit/")
        deputy.submit(page, has="last_name", changes={"last_name": last})


# ========================================================================================= finding 5 (and 7: links)

def teacher_route_in_progress(demo: Demo) -> int:
    teacher = demo.as_("teacher")
    pk = own_route(teacher)
    if pk is None:
        raise Stop("у педагога нет ИОМ текущего года")
    for _ in range(4):
        status = route_status(teacher, pk)
        if status == "in_progress":
            return pk
        if status in ("draft", "returned", "not_credited"):
            do_action(teacher, pk, "submit")
        elif status == "submitted":
            do_action(demo.as_("deputy"), pk, "approve", {"comment": "Согласовано"})
        elif status == "awaiting_credit":
            do_action(demo.as_("regional"), pk, "credit")
        else:
            break
    raise Stop(f"ИОМ педагога {pk} не удалось довести до «Реализуется» (статус {route_status(teacher, pk)})")


def evidence_ids(client: Client, route_pk: int) -> list[int]:
    return ids_in(client.get(f"/routes/{route_pk}/").text, r'href="/routes/evidence/(\d+)/"')


def activity_ids(client: Client, route_pk: int) -> list[tuple[int, bool]]:
    """(activity pk, done) of the route's roadmap."""
    html = client.get(f"/routes/{route_pk}/").text
    found = []
    for m in re.finditer(r'<tr id="activity-(\d+)"(.*?)</tr>', html, re.S):
        found.append((int(m.group(1)), "выполнено " in m.group(2)))
    return found


def finding_5(demo: Demo) -> None:
    teacher, methodist, deputy = demo.as_("teacher"), demo.as_("methodist"), demo.as_("deputy")

    # the huge declared range, in an import request
    data = huge_dimension_xlsx(ROUTE_HEADERS, [[demo.school[1], "Нетакого", "Сотрудника", "", current_year(), "",
                                                "Черновик", None, None, None]])
    started = time.monotonic()
    resp = upload_import(methodist, "routes", "dimension.xlsx", data)  # one data row, 16384 × 20000 declared
    took = time.monotonic() - started
    R.check("5", f"XLSX {len(data) / 1024:.1f} КБ с <dimension ref=\"A1:XFD20000\">: ответ за {took:.2f} с",
            took < 5 and resp.status_code in (200, 302) and resp.status_code < 500,
            f"методист, POST /imports/routes/ → {resp.status_code} за {took:.2f} с: {messages_after(resp)[:200]}")
    print(f"      время запроса загрузки XLSX с огромным диапазоном: {took:.2f} с "
          f"(ответ {resp.status_code}, {urlsplit(resp.url).path})", flush=True)
    started = time.monotonic()
    resp = upload_import(deputy, "staff", "dimension.xlsx", huge_dimension_xlsx(["ОО", "Фамилия", "Имя", "Должность"]))
    took = time.monotonic() - started
    R.check("5", f"то же в загрузке сотрудников (заместитель): ответ за {took:.2f} с",
            took < 5 and resp.status_code < 500, f"заместитель, POST /imports/staff/ → {resp.status_code} за {took:.2f} с")

    route_pk = teacher_route_in_progress(demo)
    activities = activity_ids(teacher, route_pk)
    open_ = [pk for pk, done in activities if not done]
    if not activities:
        raise Stop(f"в ИОМ {route_pk} нет мероприятий")
    target = open_[0] if open_ else activities[0][0]
    evidence_before = evidence_ids(teacher, route_pk)
    hostile = [
        ("huge.png", lambda: FILES.png, "PNG 13000×13000 (~0,5 МБ сжато, ~0,5 ГБ после декодирования)"),
        ("bomb.docx", lambda: FILES.docx, "DOCX ~1 МБ, 1 ГиБ после распаковки"),
        ("fake.pdf", lambda: FAKE_PDF, "«%PDF-1.4» и затем HTML"),
    ]
    for name, make, what in hostile:
        content = make()
        for endpoint, how in ((f"/routes/activities/{target}/done/", "отметка о выполнении"),
                              (f"/routes/activities/{target}/evidence/", "добавление подтверждения")):
            fields = {"done_on": TODAY.isoformat(), "evidence_kind": "certificate", "kind": "certificate",
                      "url": "", "note": ""}
            started = time.monotonic()
            resp = teacher.post(endpoint, fields, files={"file": (name, content)}, referer=f"/routes/{route_pk}/",
                                htmx=True)
            took = time.monotonic() - started
            msgs = [m for m in errors(resp) if is_russian(m)]
            R.check("5", f"{what} ({how}) отклонен с сообщением, {took:.2f} с",
                    resp.status_code < 500 and bool(msgs) and took < 10,
                    f"педагог, POST {endpoint} → {resp.status_code} за {took:.2f} с: {'; '.join(errors(resp))[:200]}")
    after = evidence_ids(teacher, route_pk)
    R.check("5", "ни один отклоненный файл не сохранен", after == evidence_before,
            f"/routes/{route_pk}/: подтверждения были {evidence_before}, стали {after}")
    done_now = dict(activity_ids(teacher, route_pk))
    R.check("5", "мероприятие не отмечено выполненным из-за отклоненного файла",
            not open_ or not done_now.get(target), f"мероприятие {target} отмечено выполненным")
    # a control: a good small picture is accepted on the same form, then removed
    resp = teacher.post(f"/routes/activities/{target}/evidence/", {"kind": "photo", "url": ""},
                        files={"file": ("ok.png", small_png())}, referer=f"/routes/{route_pk}/", htmx=True)
    added = [pk for pk in evidence_ids(teacher, route_pk) if pk not in evidence_before]
    R.check("5", "контроль: обычный PNG на той же форме принимается", bool(added), short(resp))
    for pk in added:
        teacher.post(f"/routes/evidence/{pk}/delete/", {}, referer=f"/routes/{route_pk}/", htmx=True)

    # 7: evidence links
    for url in ("//evil.example/x", "ftp://evil.example/x", "javascript:alert(1)"):
        before = evidence_ids(teacher, route_pk)
        resp = teacher.post(f"/routes/activities/{target}/evidence/", {"kind": "link", "url": url},
                            referer=f"/routes/{route_pk}/", htmx=True)
        new = [pk for pk in evidence_ids(teacher, route_pk) if pk not in before]
        msgs = [m for m in errors(resp) if is_russian(m)]
        stored = ""
        if new:
            leave = teacher.get(f"/routes/evidence/{new[0]}/", allow_redirects=False)
            stored = f"сохранено подтверждение {new[0]}; /routes/evidence/{new[0]}/ → {leave.status_code} " \
                     f"{leave.headers.get('Location', '')} {' '.join(alerts(leave))[:200]}"
        R.check("7", f"ссылка-подтверждение «{url}» отклонена при сохранении", not new and bool(msgs),
                f"педагог, POST /routes/activities/{target}/evidence/ → {resp.status_code}: "
                f"{'; '.join(errors(resp))[:150]} {stored}")
        for pk in new:
            teacher.post(f"/routes/evidence/{pk}/delete/", {}, referer=f"/routes/{route_pk}/", htmx=True)
    R.skip("7", "старые ссылки ftp: и //host показываются текстом",
           "такую ссылку нельзя сохранить через HTTP (форма ее не принимает, импорта подтверждений нет)")


# ========================================================================================= finding 7

def strip_token(pairs) -> list:
    return sorted((k, v) for k, v in pairs if k != "csrfmiddlewaretoken")


def finding_7_catalog(demo: Demo) -> None:
    regional, methodist = demo.as_("regional"), demo.as_("methodist")
    page = regional.get("/catalog/", params={"registry_only": "on"})
    ids = ids_in(page.text, r'href="/catalog/(\d+)/edit/"')
    if not ids:
        raise Stop(f"региональный методист не видит ресурсов федерального реестра для правки: {short(page)}")
    pk = ids[0]
    form_page = regional.get(f"/catalog/{pk}/edit/")
    before = form_values(regional.form(form_page, has="title"))
    listing = methodist.get("/catalog/", params={"registry_only": "on"})
    R.check("7", "каталог: у методиста муниципалитета нет «Изменить» у федерального ресурса",
            f"/catalog/{pk}/edit/" not in listing.text, f"ссылка /catalog/{pk}/edit/ в списке методиста")
    resp = methodist.get(f"/catalog/{pk}/edit/")
    ok, seen = refused_in_russian(resp)
    R.check("7", "каталог: страница правки федерального ресурса закрыта методисту", ok, f"методист, {seen}")
    changed = apply_changes(before, {"title": f"Взлом {demo.tag}", "level": "municipal",
                                     "in_federal_registry": None, "csrfmiddlewaretoken": None})
    resp = methodist.post(f"/catalog/{pk}/edit/", changed, referer=f"/catalog/{pk}/edit/")
    ok, seen = refused_in_russian(resp)
    R.check("7", "каталог: POST правки федерального ресурса методистом отклонен", ok, f"методист, {seen}")
    after = form_values(regional.form(regional.get(f"/catalog/{pk}/edit/"), has="title"))
    R.check("7", "каталог: федеральный ресурс не изменился (форма у регионального методиста)",
            strip_token(after) == strip_token(before), f"/catalog/{pk}/edit/: было {dict(before).get('title')}, "
                                            f"стало {dict(after).get('title')}")
    page = methodist.get("/catalog/new/")
    if page.status_code == 200:
        levels = [v for v, _ in select_options(page, "level")]
        wide = "federal" if "federal" in levels else (levels[-1] if levels else "")
        competencies = doc_of(page.text).xpath('//input[@name="competencies"]/@value')[:1]
        kinds = [v for v, _ in select_options(page, "activity_kind") if v]
        resp = methodist.submit(page, has="title", changes={
            "title": f"Федеральный ресурс {demo.tag}", "level": wide, "in_federal_registry": "on",
            "kind": next(v for v, _ in select_options(page, "kind") if v), "provider": "ФГАОУ", "hours": "36",
            "url": "https://example.org/course", "activity_kind": kinds[0] if kinds else "",
            "competencies": competencies, "is_active": "on"})
        found = regional.get("/catalog/", params={"text": f"Федеральный ресурс {demo.tag}"})
        said = " ".join(errors(resp))
        R.check("7", "каталог: методист не создает федеральный ресурс (понятное сообщение)",
                f"Федеральный ресурс {demo.tag}" not in page_text(found) and is_russian(said)
                and ("федеральн" in said.lower() or "региональн" in said.lower()), short(resp))


CATALOG_HEADERS = ["Тип", "Наименование", "Организатор", "Часов", "Федеральный реестр", "Ссылка", "Уровень",
                   "Вид мероприятия", "Компетенции", "Действует"]


def finding_7_catalog_import(demo: Demo) -> None:
    """The same rule through «Загрузка данных»: a municipal methodist's catalog file."""
    regional, methodist = demo.as_("regional"), demo.as_("methodist")
    page = regional.get("/catalog/", params={"registry_only": "on"})
    ids = ids_in(page.text, r'href="/catalog/(\d+)/edit/"')
    if not ids:
        raise Stop("нет ресурсов федерального реестра")
    pk = ids[0]
    before = form_values(regional.form(regional.get(f"/catalog/{pk}/edit/"), has="title"))
    title = dict(before)["title"]
    tag = demo.tag
    rows = [
        ["Курс (КПК/ДПП)", title, "Взломщик", "72", "нет", "https://evil.example/course", "Муниципальный",
         "Курсы повышения квалификации (КПК)", "М3", "да"],
        ["Курс (КПК/ДПП)", f"Федеральный из файла {tag}", "ФГАОУ", "36", "да", "https://example.org/c",
         "Федеральный", "Курсы повышения квалификации (КПК)", "М3", "да"],
        ["Курс (КПК/ДПП)", f"Ссылка ftp из файла {tag}", "ММЦ", "36", "нет", "ftp://evil.example/x",
         "Муниципальный", "Курсы повышения квалификации (КПК)", "М3", "да"],
    ]
    resp = upload_import(methodist, "catalog", "catalog.xlsx", xlsx_bytes(CATALOG_HEADERS, rows))
    m = re.search(r"/imports/catalog/([0-9a-f-]{36})/", resp.url)
    if not m:
        ok, seen = refused_in_russian(resp)
        R.check("7", "каталог из файла: загрузка методиста отклонена целиком", ok, f"методист, {seen}")
        return
    token = m.group(1)
    outcome = preview_rows(resp)
    for number, what, word in [(2, "изменение федерального ресурса", "ведет"), (3, "новый федеральный ресурс", "федеральн"),
                               (4, "ссылка ftp:", "http")]:
        result, problem = outcome.get(number, ("", ""))
        R.check("7", f"каталог из файла (методист): строка {number} — ошибка ({what})",
                result == "ошибка" and word in problem.lower() and is_russian(problem),
                f"предпросмотр /imports/catalog/{token}/, строка {number}: {result or 'нет строки'} {problem[:200]}")
    methodist.post(f"/imports/catalog/{token}/confirm/", {}, referer=resp.url)
    after = form_values(regional.form(regional.get(f"/catalog/{pk}/edit/"), has="title"))
    R.check("7", "каталог из файла: федеральный ресурс не изменился", strip_token(after) == strip_token(before),
            f"/catalog/{pk}/edit/ у регионального методиста: было {strip_token(before)}, стало {strip_token(after)}")
    for name in (f"Федеральный из файла {tag}", f"Ссылка ftp из файла {tag}"):
        found = page_text(regional.get("/catalog/", params={"text": name}))
        R.check("7", f"каталог из файла: «{name}» не создан", name not in found, "ресурс есть в каталоге")
    page = methodist.get("/catalog/new/")
    competencies = doc_of(page.text).xpath('//input[@name="competencies"]/@value')[:1]
    kinds = [v for v, _ in select_options(page, "activity_kind") if v]
    for url in ("ftp://evil.example/x", "//evil.example/x"):
        name = f"Ссылка {url[:4]} {tag}"
        resp = methodist.submit(page, has="title", changes={
            "title": name, "level": "municipal", "in_federal_registry": None, "kind": "online", "provider": "",
            "hours": "", "url": url, "activity_kind": kinds[-1] if kinds else "", "competencies": competencies,
            "is_active": "on"})
        found = page_text(regional.get("/catalog/", params={"text": name}))
        shown = ""
        new_ids = ids_in(regional.get("/catalog/", params={"text": name}).text, r'href="/catalog/(\d+)/edit/"')
        if new_ids:
            link = methodist.get(f"/catalog/{new_ids[0]}/link/", allow_redirects=False)
            shown = f"; сохранен ресурс {new_ids[0]}, /catalog/{new_ids[0]}/link/ → {link.status_code}: " \
                    f"{' '.join(alerts(link))[:160]}"
        R.check("7", f"каталог: ссылка «{url}» у ресурса отклонена при сохранении",
                name not in found and any(is_russian(e) for e in errors(resp)),
                f"методист, POST /catalog/new/ → {resp.status_code}: {'; '.join(errors(resp))[:150]}{shown}")


def finding_7_registry(demo: Demo) -> None:
    methodist = demo.as_("methodist")
    token = methodist.token()
    resp = methodist.post("/reports/registry/export/", [("progress_min", "90"), ("progress_max", "10"),
                                                         ("format", "xlsx"), ("csrfmiddlewaretoken", token)],
                          referer="/reports/registry/", allow_redirects=False)
    location = resp.headers.get("Location", "")
    R.check("7", "реестр: неверный фильтр выгрузки не кладет CSRF-токен в адрес",
            resp.status_code in (302, 303) and "csrfmiddlewaretoken" not in location and token not in location,
            f"методист, POST /reports/registry/export/ → {resp.status_code} Location: {location}")
    if location:
        page = methodist.get(location)
        R.check("7", "реестр: после неверного фильтра сообщение на русском",
                any(is_russian(m) for m in alerts(page, ("danger", "warning")) + errors(page)), short(page))
    page = methodist.get("/reports/registry/", params={"progress_min": "abc", "csrfmiddlewaretoken": token})
    R.check("7", "реестр: страница с неверным фильтром не повторяет CSRF-токен в ссылках",
            page.status_code == 200 and f"csrfmiddlewaretoken={token}" not in page.text, short(page))


def finding_7_limit(demo: Demo, mode: str) -> None:
    methodist = demo.as_("methodist")
    municipality = demo.municipality_id()
    page = methodist.get("/reports/")
    probe = methodist.submit(page, has="kind", changes={"kind": "coverage", "format": "xlsx",
                                                       "municipality": municipality, "organisation": ""})
    jobs = doc_of(methodist.get("/reports/jobs/").text).xpath("//tbody/tr")
    if jobs and "Готов" in squash(jobs[0].text_content()):
        R.skip("7", "реестр: выгрузка при пяти формирующихся отчетах",
               "предел недостижим: отчет готов уже к ответу на заказ (Celery eager — отчет строится в запросе)")
        return
    page = probe
    refused = None
    for _ in range(12):
        resp = methodist.submit(page, has="kind", changes={"kind": "coverage", "format": "pdf",
                                                          "municipality": municipality, "organisation": ""})
        said = messages_after(resp)
        if "Отчет заказан" not in said:
            refused = resp
            break
        page = resp
    if refused is None:
        R.skip("7", "реестр: выгрузка при пяти формирующихся отчетах",
               "предел не достигнут: отчеты строятся быстрее, чем заказываются" +
               (" (Celery eager: отчет строится в самом запросе)" if mode == "A" else ""))
        return
    R.check("7", "заказ шестого отчета при пяти формирующихся — сообщение на русском",
            refused.status_code < 500 and "5 отчетов" in messages_after(refused), short(refused))
    resp = methodist.post("/reports/registry/export/", {"format": "xlsx"}, referer="/reports/registry/")
    said = messages_after(resp)
    if "заказана" in said:
        R.skip("7", "реестр: выгрузка при пяти формирующихся отчетах", "очередь успела освободиться")
        return
    R.check("7", "реестр: выгрузка при пяти формирующихся отчетах — сообщение на русском, не 500",
            resp.status_code == 200 and "5 отчетов" in said and is_russian(said),
            f"методист, POST /reports/registry/export/ → {short(resp)}")


def finding_7_ids(demo: Demo) -> None:
    big, huge = "99999999999999999999", "99999999999999999999999"
    paths = [f"/routes/{huge}/", f"/routes/{huge}/history/", f"/staff/{huge}/", f"/organisations/{huge}/",
             f"/methodics/events/{huge}/", f"/methodics/projects/{huge}/", f"/reports/school/{huge}/",
             f"/catalog/{huge}/edit/", f"/routes/activities/{huge}/edit/", f"/diagnostics/people/{huge}/"]
    client = demo.as_("methodist")
    for path in paths:
        resp = client.get(path)
        russian = is_debug_page(resp) or "Страница не найдена" in page_text(resp)
        R.check("7", f"номер вне диапазона {path} → 404", resp.status_code == 404 and russian,
                f"методист, GET {path} → {resp.status_code}{'' if russian else ' (не русская страница)'}")
    filters = {"/reports/registry/": ("organisation", "municipality"), "/routes/monitor/": ("organisation", "municipality"),
               "/methodics/mentoring/": ("organisation", "municipality")}
    for path, names in filters.items():
        for name in names:
            bad = []
            for user in ("deputy", "methodist", "regional", "admin"):
                client = demo.as_(user)
                for value in (big, "²", "-1", "1e3", "١٢"):
                    resp = client.get(path, params={name: value})
                    if resp.status_code not in (200, 404):
                        title = doc_of(resp.text).xpath("//title")
                        bad.append(f"{user}: ?{name}={value} → {resp.status_code}"
                                   f"{' (' + squash(title[0].text_content())[:80] + ')' if title else ''}")
            R.check("7", f"{path}?{name}= (99999999999999999999, ², -1, 1e3, ١٢; заместитель, методисты, "
                         f"администратор) — не 500", not bad, "; ".join(bad))


def finding_7_csrf(demo: Demo) -> None:
    deputy = demo.as_("deputy")
    resp = deputy.post("/notifications/read-all/", {}, token=False, referer="/notifications/")
    text = page_text(resp)
    layout = "ИОМ-портал" in text and "/static/" in resp.text and "Уведомления" in text
    R.check("7", "CSRF: POST без токена — русская страница в оформлении портала (вошедший)",
            resp.status_code == 403 and "Страница устарела" in text and layout and not any(
                m in text for m in ENGLISH_MARKERS), f"заместитель, POST /notifications/read-all/ без токена → "
                                                     f"{resp.status_code}: {text[:200]}")
    anonymous = Client(demo.base)
    resp = anonymous.s.post(anonymous.url("/accounts/login/"), data={"username": "x", "password": "y"},
                            headers={"Referer": anonymous.url("/accounts/login/")}, timeout=60)
    text = page_text(resp)
    R.check("7", "CSRF: вход без cookie и токена — русская страница портала",
            resp.status_code == 403 and "Страница устарела" in text and "ИОМ-портал" in text,
            f"аноним, POST /accounts/login/ → {resp.status_code}: {text[:200]}")


def finding_7_lockout(demo: Demo) -> None:
    """21 failed logins under different non-existent usernames from this address, then a real login."""
    client = Client(demo.base)
    last, first_locked = None, None
    for i in range(21):
        page = client.get("/accounts/login/")
        form = next(f for f in doc_of(page.text).forms if f.xpath('.//input[@name="username"]'))
        data = apply_changes(form_values(form), {"username": f"nobody-{demo.tag}-{i}", "password": "wrong-password"})
        last = client.post("/accounts/login/", data, referer="/accounts/login/")
        if last.status_code >= 500:
            R.check("7", "блокировка: неудачный вход не дает 500", False, short(last))
            return
        if first_locked is None and last.status_code in (403, 429):
            first_locked = i + 1
    R.check("7", f"блокировка по адресу наступает после 20 неудачных попыток под разными логинами "
                 f"(первая страница блокировки — на попытке {first_locked})", first_locked in (20, 21),
            f"первая блокировка на попытке {first_locked}")
    locked_text = page_text(last)
    R.check("7", "блокировка: 21-я неудачная попытка с адреса — страница блокировки на русском",
            last.status_code in (403, 429) and is_russian(locked_text) and "мин" in locked_text
            and "разными логинами" in locked_text,
            f"аноним, POST /accounts/login/ (21-й логин) → {last.status_code}: {locked_text[:200]}")
    page = client.get("/accounts/login/")
    form = next((f for f in doc_of(page.text).forms if f.xpath('.//input[@name="username"]')), None)
    if form is None:
        R.check("7", "блокировка: страница входа доступна", False, short(page))
        return
    data = apply_changes(form_values(form), {"username": "teacher", "password": demo.password})
    resp = client.post("/accounts/login/", data, referer="/accounts/login/")
    R.check("7", "блокировка адреса: вход под существующей учетной записью с верным паролем отклонен",
            "/accounts/login/" in urlsplit(resp.url).path and resp.status_code in (403, 429)
            and "разными логинами" in page_text(resp),
            f"аноним → teacher, POST /accounts/login/ → {resp.status_code} {urlsplit(resp.url).path}")
    print("      адрес заблокирован: снимите блокировку командой `manage.py axes_reset`", flush=True)


# ========================================================================================= main

def guarded(finding: str, what: str, step) -> None:
    try:
        step()
    except Stop as exc:
        R.check(finding, what, False, f"проверка прервана: {exc}")
    except Exception as exc:  # noqa: BLE001 - a broken step is a FAIL of its finding, the others still run
        R.check(finding, what, False, f"исключение {type(exc).__name__}: {exc}")
        traceback.print_exc(limit=3)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("base", help="адрес портала, например http://127.0.0.1:8100")
    parser.add_argument("--password", default=PASSWORD, help="пароль демо-учетных записей")
    parser.add_argument("--lockout", action="store_true", help="в конце проверить блокировку адреса (21 неудачный "
                                                                "вход); потом manage.py axes_reset")
    parser.add_argument("--only", default="", help="номера находок через запятую, например 1,3,7")
    parser.add_argument("--mode", default="", help="A или B, только для текста SKIP")
    parser.add_argument("--verbose", action="store_true", help="показывать увиденное и для OK")
    args = parser.parse_args(argv)
    R.verbose = args.verbose
    only = {x.strip() for x in args.only.split(",") if x.strip()}
    demo = Demo(args.base, args.password)
    health = requests.get(demo.base + "/healthz", timeout=30)
    print(f"# {demo.base}: /healthz → {health.status_code}; метка прогона {demo.tag}", flush=True)
    mode = args.mode or ("A" if "DEBUG = True" in requests.get(demo.base + "/no-such-page-replay/", timeout=30).text
                         else "B")
    steps = [
        ("1", "захват учетной записи через приглашение", lambda: finding_1(demo)),
        ("2", "загрузка реестра ИОМ в обход процесса", lambda: finding_2(demo)),
        ("3", "самосогласование", lambda: finding_3(demo)),
        ("4", "формулы в XLSX / правки", lambda: finding_4_6(demo)),
        ("5", "загрузка файлов", lambda: finding_5(demo)),
        ("7", "каталог", lambda: finding_7_catalog(demo)),
        ("7", "каталог из файла", lambda: finding_7_catalog_import(demo)),
        ("7", "фильтр реестра", lambda: finding_7_registry(demo)),
        ("7", "номера вне диапазона", lambda: finding_7_ids(demo)),
        ("7", "страница CSRF", lambda: finding_7_csrf(demo)),
        ("7", "предел пяти отчетов", lambda: finding_7_limit(demo, mode)),
    ]
    for finding, what, step in steps:
        if only and finding not in only and not (finding == "4" and "6" in only):
            continue
        guarded(finding, what, step)
    if args.lockout:
        guarded("7", "блокировка входа по адресу", lambda: finding_7_lockout(demo))
    else:
        R.skip("7", "блокировка входа по адресу", "не запускалась (нужен --lockout, последней)")
    print(f"# итого: {len([x for x in R.lines if x.startswith('OK')])} OK, {R.failed} FAIL, "
          f"{len([x for x in R.lines if x.startswith('SKIP')])} SKIP", flush=True)
    return 1 if R.failed else 0


if __name__ == "__main__":
    sys.exit(main())
