import io

from openpyxl import load_workbook

from reports.builders import ReportParams, build


def build_file(kind: str, fmt: str = "xlsx", **params) -> bytes:
    out = io.BytesIO()
    build(kind, fmt, ReportParams.from_dict(params), out)
    return out.getvalue()


def data_sheet(content: bytes) -> list[dict]:
    """The `Данные` sheet as dicts keyed by its header row."""
    ws = load_workbook(io.BytesIO(content), read_only=True)["Данные"]
    rows = list(ws.iter_rows(values_only=True))
    return [dict(zip(rows[0], r, strict=True)) for r in rows[1:]]
