"""What the language check looks for in a text a user reads (docs/glossary.md, issue 22).

`page_texts` splits an HTML page into its visible text and its labels (form labels, table
headers, headings); `document_text` reads a PDF (pdftotext), DOCX (python-docx) or XLSX
(openpyxl); `problems` names every slip in a text. The allow-list is ALLOWED, each entry with why.
"""

import io
import re
import subprocess
from html.parser import HTMLParser

from django.apps import apps

from core.words import plural

LABEL_TAGS = {"label", "th", "h1", "h2", "h3", "h4", "h5", "h6", "legend", "dt", "caption"}
SKIPPED_TAGS = {"script", "style", "template", "code", "pre", "textarea", "select", "option"}
VOID = {"br", "img", "input", "meta", "link", "hr", "col", "source", "wbr", "area", "base", "embed"}

# Words that look like internal labels but are what the user should read, with why.
ALLOWED = {
    "e-mail",  # the address field's usual Russian name, written in Latin
    "iPhone",  # a product name, spelled as its maker spells it (the calendar page's instructions)
}


def _choice_codes() -> set[str]:
    """Every stored code of a choice field ("in_progress", "awaiting_credit", "queued"): internal labels."""
    codes = set()
    for model in apps.get_models():
        for f in model._meta.get_fields():
            for value, _label in getattr(f, "flatchoices", None) or ():
                if isinstance(value, str) and re.fullmatch(r"[a-z][a-z_]{3,}", value):
                    codes.add(value)
    return codes


_CODES = None


def internal_label_re() -> re.Pattern:
    global _CODES
    if _CODES is None:
        words = sorted(_choice_codes() | {"seed", "None", "True", "False", "nan"})
        _CODES = re.compile(r"(?<![\w@./:-])(" + "|".join(map(re.escape, words)) + r")(?![\w@/-])")
    return _CODES


class _Page(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.stack: list[str] = []
        self.skip = 0
        self.text: list[str] = []
        self.labels: list[str] = []
        self._label: list[list[str]] = []

    def handle_starttag(self, tag, attrs):
        if tag in VOID:
            return
        self.stack.append(tag)
        if tag in SKIPPED_TAGS:
            self.skip += 1
        if tag in LABEL_TAGS:
            self._label.append([])

    def handle_endtag(self, tag):
        if tag in VOID or tag not in self.stack:
            return
        while self.stack:
            open_tag = self.stack.pop()
            if open_tag in SKIPPED_TAGS:
                self.skip -= 1
            if open_tag in LABEL_TAGS and self._label:
                self.labels.append(" ".join("".join(self._label.pop()).split()))
            if open_tag == tag:
                break

    def handle_data(self, data):
        if self.skip > 0:
            return
        self.text.append(data)
        for label in self._label:
            label.append(data)


def page_texts(html: str) -> tuple[str, list[str]]:
    """The visible text of a page (one string) and the texts of its labels."""
    parser = _Page()
    parser.feed(html)
    return " ".join(" ".join(parser.text).split()), [label for label in parser.labels if label]


def document_text(content: bytes, content_type: str) -> str:
    if "pdf" in content_type:
        done = subprocess.run(["pdftotext", "-", "-"], input=content, capture_output=True, check=True)
        return done.stdout.decode()
    if "wordprocessingml" in content_type:
        from docx import Document

        doc = Document(io.BytesIO(content))
        parts = [p.text for p in doc.paragraphs]
        parts += [cell.text for table in doc.tables for row in table.rows for cell in row.cells]
        return "\n".join(parts)
    if "spreadsheetml" in content_type:
        from openpyxl import load_workbook

        wb = load_workbook(io.BytesIO(content), read_only=True)
        cells = []
        for ws in wb.worksheets:
            rows = list(ws.iter_rows(values_only=True))
            # A «Код» column (the «Данные» sheet) holds the figures' codes for machines, on purpose.
            skip = 0 if rows and rows[0] and rows[0][0] == "Код" else None
            cells += [str(v) for row in rows for i, v in enumerate(row) if v is not None and i != skip]
        return "\n".join(cells)
    if "csv" in content_type:
        return content.decode("utf-8-sig")
    return ""


AFTER_COMPARISON = {"до", "от", "меньше", "менее", "больше", "более", "свыше", "около", "старше", "моложе", "из"}
_YEARS = re.compile(r"(?<![\d,.])(\d+)\s+(год|года|лет)(?![а-яё])")
# «21 педагогов», «1 организаций»: a number ending in 1 (not 11) never takes the genitive plural.
_GENITIVE_PLURAL = re.compile(r"(?<![\d,.])(\d*1)\s+(педагогов|организаций|учителей|мероприятий|человек)(?![а-яё])")
_DOUBLED_KIND = re.compile(r"(?<![\w-])([\w-]{3,})\)?\s*«\s*\1(?![\w])", re.IGNORECASE)
_TWO_STOPS = re.compile(r"(?<!\.)\.\.(?!\.)")


# An address is the user's data, not our words; pdftotext may wrap it, so its next word goes too.
_URL = re.compile(r"https?://[^\sа-яё]*(?:\n[^\sа-яё]+)*")


def problems(text: str, where: str, allowed: frozenset = frozenset()) -> list[str]:
    found = []
    text = _URL.sub(" ", text)

    def add(kind, match):
        start = max(match.start() - 40, 0)
        found.append(f"{where}: {kind}: …{text[start:match.end() + 30]}…")

    for m in internal_label_re().finditer(text):
        if m.group(1) not in ALLOWED | allowed:
            add(f"internal label «{m.group(1)}»", m)
    for m in _YEARS.finditer(text):
        n, word = int(m.group(1)), m.group(2)
        # «2023 года» is a date, «2 года» the count; only «лет» and «N год» after a plural number are counts
        before = text[max(m.start() - 8, 0):m.start()].split()
        # «меньше 3 лет», «до 2 лет», «от 1 до 5 лет»: the genitive after a comparison is right
        if before and before[-1].lower() in AFTER_COMPARISON:
            continue
        if word == "лет" and plural(n, "год", "года", "лет") != "лет":
            add("«лет» after a number ending in 1–4", m)
    for m in _GENITIVE_PLURAL.finditer(text):
        if not m.group(1).endswith("11"):
            add("a plural after a number ending in 1", m)
    for m in _DOUBLED_KIND.finditer(text):
        add("the kind doubled before its title", m)
    if "««" in text or "»»" in text:
        add("nested quotes", re.search("««|»»", text))
    for m in _TWO_STOPS.finditer(text):
        add("two full stops", m)
    return found


def label_problems(labels: list[str], where: str) -> list[str]:
    found = []
    for label in labels:
        letters = label.lstrip(" *")  # a legend opening with a sign («✔ — шаг выполнен») is not a label
        if letters and letters[0].isalpha() and letters[0].islower() and not letters.startswith(tuple(ALLOWED)):
            found.append(f"{where}: label starts with a small letter: «{label}»")
    return found


def cut_problems(text: str, limit: int, where: str) -> list[str]:
    """A text as long as the place it was cut to must end with «…», not in the middle of a word."""
    if len(text) >= limit - 1 and not text.endswith("…"):
        return [f"{where}: cut without an ellipsis: «…{text[-40:]}»"]
    return []
