"""PDF pages per second, and the build time of the coverage and audit reports at M and L.

- The ИОМ document (routes.documents.builders.iom_pdf) of the bench teacher's route at L: pages ÷ the
  median time of a whole render (template + WeasyPrint).
- The coverage (Table 1) and audit reports of the first municipality, built by the reports'
  own builders (reports.builders.build) into memory as XLSX and PDF, at M and at L; the PDF
  ones also as pages per second. WeasyPrint is the cost (STACK.md: ~5 pages/s for dense
  tables here), so these rows have no pass/fail target; the build times are for comparing
  runs. benchmarks/reports_bench.py (reports' own) times Table 1 and the registry export
  against hand-written equivalents; this module does not repeat them.
"""

import io
import re
import subprocess
import tempfile

from benchmarks.common import Bench, median_time, use_size


def pages(pdf: bytes) -> int:
    """Page count by poppler's pdfinfo (WeasyPrint compresses its object streams)."""
    with tempfile.NamedTemporaryFile(suffix=".pdf") as f:
        f.write(pdf)
        f.flush()
        info = subprocess.run(["pdfinfo", f.name], capture_output=True, text=True, check=False).stdout  # noqa: S603, S607
    found = re.search(r"^Pages:\s+(\d+)", info, re.MULTILINE)
    return int(found.group(1)) if found else 0


def _iom_document(bench: Bench) -> None:
    from core.dates import current_academic_year
    from routes.documents.builders import iom_pdf
    from routes.models import Route

    use_size("L")
    route = (Route.objects.filter(academic_year=current_academic_year(), status=Route.Status.IN_PROGRESS)
             .select_related("person").order_by("pk").first())
    n = pages(iom_pdf(route))
    t = median_time(lambda: iom_pdf(route), runs=min(bench.runs, 5), warmup=1)
    bench.add("PDF", "документ ИОМ (10 мероприятий)", "страниц/с", round(n / t.median, 1),
              detail=f"{n} стр. за {t.ms} мс", ms=t.ms, pages=n)


def _reports(bench: Bench) -> None:
    from core.dates import last_completed_academic_years
    from reports.builders import ReportParams, build
    from schools.models import Municipality

    years = last_completed_academic_years(2)
    for size in ("M", "L"):
        use_size(size)
        municipality = Municipality.objects.order_by("pk").first()
        staff = municipality.organisations.values("staff").count()
        for kind in ("coverage", "audit"):
            params = ReportParams(municipality=municipality, years=years, cohort=years[-1])
            for fmt in ("xlsx", "pdf"):
                def once(kind=kind, fmt=fmt, params=params):
                    buffer = io.BytesIO()
                    build(kind, fmt, params, buffer)
                    return buffer

                out = once()
                t = median_time(once, runs=min(bench.runs, 5), warmup=0)
                detail = f"{t.ms} мс, муниципалитет {staff} работников"
                extra = {"ms": t.ms}
                if fmt == "pdf":
                    n = pages(out.getvalue())
                    detail += f", {n} стр., {round(n / t.median, 1)} стр./с"
                    extra["pages"] = n
                bench.add("отчеты", f"{kind} {fmt.upper()}, {size}", "сборка, мс", t.ms, detail=detail, **extra)


def run(bench: Bench) -> None:
    _iom_document(bench)
    _reports(bench)
