import io
import subprocess

import pytest
from docx import Document


def pdf_text(content: bytes, tmp_path) -> str:
    path = tmp_path / "iom.pdf"
    path.write_bytes(content)
    return subprocess.run(["pdftotext", "-layout", str(path), "-"], check=True, capture_output=True, text=True).stdout


def docx_text(content: bytes) -> str:
    """Every paragraph and every table cell of the document, one per line."""
    document = Document(io.BytesIO(content))
    lines = [p.text for p in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            lines.extend(cell.text for cell in row.cells)
    return "\n".join(lines)


@pytest.fixture
def read_pdf(tmp_path):
    return lambda content: pdf_text(content, tmp_path)


@pytest.fixture
def read_docx():
    return docx_text
