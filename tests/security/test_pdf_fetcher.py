"""WeasyPrint fetches nothing: no file:// (server files), no http(s) (the network), only inline
data: URLs. User text naming a resource cannot pull it into a document."""

import http.server
import subprocess
import threading
from pathlib import Path

import pytest
from weasyprint import HTML
from weasyprint.urls import URLFetcher

from core.files import RefusedURL, safe_url_fetcher
from core.pdf import render_pdf

MARKER = "SECRET-MARKER-7f3a"
PNG_1PX = ("data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==")


@pytest.fixture
def http_server():
    """A local web server that counts the requests it gets."""
    hits = []

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self):  # noqa: N802 (the http.server API)
            hits.append(self.path)
            body = f"body::after {{ content: '{MARKER}-http' }}".encode()
            self.send_response(200)
            self.send_header("Content-Type", "text/css")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            return

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}", hits
    server.shutdown()


@pytest.fixture
def hostile_template(settings, tmp_path):
    """A template whose user-controlled parts name a local file and a remote server."""
    secret_css = tmp_path / "secret.css"
    secret_css.write_text(f"body::before {{ content: '{MARKER}-file' }}")
    templates = tmp_path / "templates"
    templates.mkdir()
    (templates / "hostile.html").write_text(
        "<html><head>"
        "<link rel='stylesheet' href='{{ file_css }}'><link rel='stylesheet' href='{{ http_css }}'>"
        "<style>@import url('{{ file_css }}'); @import url('{{ http_css }}/imported.css');"
        " p { background: url('{{ http_css }}/bg.png'); }</style>"
        "</head><body><h1>Документ</h1>"
        "<img src='file:///etc/passwd'><img src='{{ http_css }}/img.png'><img src='{{ data_png }}'>"
        "<object data='file:///etc/passwd'></object><embed src='file:///etc/hostname'>"
        "<iframe src='file:///etc/passwd'></iframe>"
        "<p>{{ text }}</p></body></html>"
    )
    settings.TEMPLATES = [{**settings.TEMPLATES[0], "DIRS": [templates, *settings.TEMPLATES[0]["DIRS"]]}]
    return secret_css


def _pdf_text(pdf: bytes, tmp_path) -> str:
    path = tmp_path / "out.pdf"
    path.write_bytes(pdf)
    return subprocess.run(["pdftotext", str(path), "-"], capture_output=True, check=True).stdout.decode()


def test_render_pdf_fetches_no_file_and_no_url(hostile_template, http_server, tmp_path):
    base, hits = http_server
    context = {"file_css": hostile_template.as_uri(), "http_css": f"{base}/style.css", "data_png": PNG_1PX,
               "text": "<img src='file:///etc/passwd'> root:x:0:0"}

    pdf = render_pdf("hostile.html", context)

    text = _pdf_text(pdf, tmp_path)
    assert "Документ" in text
    assert MARKER not in text
    assert hits == []  # the server never heard from WeasyPrint
    passwd = Path("/etc/passwd").read_text()
    first_line = passwd.splitlines()[0]
    assert first_line not in pdf.decode("latin-1") and first_line not in text.replace("root:x:0:0", "", 1)
    assert "<img src='file:///etc/passwd'> root:x:0:0" in text  # user text printed as text


def test_the_same_document_with_weasyprints_default_fetcher_would_fetch_both(hostile_template, http_server, tmp_path):
    """The check above can fail: without our fetcher the file and the server are read."""
    base, hits = http_server
    html = (f"<link rel='stylesheet' href='{hostile_template.as_uri()}'>"
            f"<link rel='stylesheet' href='{base}/style.css'><p>x</p>")

    pdf = HTML(string=html, url_fetcher=URLFetcher()).write_pdf()

    text = _pdf_text(pdf, tmp_path)
    assert f"{MARKER}-file" in text and f"{MARKER}-http" in text
    assert hits == ["/style.css"]


@pytest.mark.parametrize("url", [
    "file:///etc/passwd", "FILE:///etc/passwd", "http://127.0.0.1/x", "https://example.org/x.png",
    "ftp://example.org/x", "//example.org/x.css", "/etc/passwd", "../secret.css", " data:x", "DATA:text/css,x",
])
def test_the_fetcher_refuses_anything_but_inline_data(url):
    with pytest.raises((RefusedURL, ValueError)):
        safe_url_fetcher.fetch(url)


def test_the_fetcher_reads_inline_data():
    response = safe_url_fetcher.fetch("data:text/plain;base64,0JTQsA==")
    assert response.read() == "Да".encode()
