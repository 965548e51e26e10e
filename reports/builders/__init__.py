"""Report classes by kind: the Celery task, the command and the tests build through `build()`."""

from typing import BinaryIO

from reports.builders.audit import AuditReport
from reports.builders.base import Report, ReportError, ReportParams
from reports.builders.coverage import CoverageReport
from reports.builders.indicators import IndicatorsReport
from reports.builders.monitor import MonitorReport
from reports.builders.project import ProjectReport
from reports.builders.region import RegionReport
from reports.builders.registry import RegistryReport

BUILDERS: dict[str, type[Report]] = {
    "coverage": CoverageReport,
    "audit": AuditReport,
    "project": ProjectReport,
    "indicators": IndicatorsReport,
    "registry": RegistryReport,
    "region": RegionReport,
    "monitor": MonitorReport,
}


def builder_for(kind: str) -> type[Report]:
    try:
        return BUILDERS[kind]
    except KeyError:
        raise ReportError(f"Неизвестный отчет: {kind}. Доступны: {', '.join(BUILDERS)}.") from None


def build(kind: str, fmt: str, params: ReportParams, out: BinaryIO, progress=None, **kwargs) -> Report:
    report = builder_for(kind)(params, progress, **kwargs)
    report.render(fmt, out)
    return report


__all__ = ["BUILDERS", "Report", "ReportError", "ReportParams", "build", "builder_for"]
