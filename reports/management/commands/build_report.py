"""python manage.py build_report KIND --municipality NAME [--school NAME] [--years 2021-2022,2022-2023]
[--cohort 2022-2023] [--project NAME] [--format xlsx|pdf|docx] --out FILE — the same builders as the browser's jobs.

--project extends the command of docs/spec/reports.md: the "project" report needs the project, named
by its title within the municipality."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db.models import Q

from methodics.models import Project
from reports.builders import BUILDERS, ReportError, ReportParams, build
from reports.selectors.registry import registry_queryset, registry_sorted
from routes.models import Route
from schools.models import Municipality, Organisation


class Command(BaseCommand):
    help = ("Строит отчет (coverage, audit, project, indicators, registry) в файл XLSX, PDF или DOCX. "
            "Для отчета project укажите --project: название муниципального проекта.")

    def add_arguments(self, parser):
        parser.add_argument("kind", choices=sorted(BUILDERS))
        parser.add_argument("--municipality", required=True, help="название муниципалитета")
        parser.add_argument("--school", help="краткое или полное наименование организации")
        parser.add_argument("--years", help="учебные годы через запятую: 2021-2022,2022-2023")
        parser.add_argument("--cohort", help="учебный год утверждения ИОМ (для аудита)")
        parser.add_argument("--project", help="название муниципального проекта (для отчета project; "
                                                  "дополнение к команде из docs/spec/reports.md)")
        parser.add_argument("--format", default="xlsx", choices=["xlsx", "pdf", "docx", "csv"])
        parser.add_argument("--out", required=True, help="куда записать файл")

    def handle(self, *args, kind, municipality, school, years, cohort, project, format, out, **options):
        found = list(Municipality.objects.filter(name__iexact=municipality.strip()))
        if not found:
            raise CommandError(f"Муниципалитет «{municipality}» не найден.")
        if len(found) > 1:
            raise CommandError(f"Муниципалитетов с названием «{municipality}» несколько; уточните в справочнике.")
        data = {"municipality_id": found[0].pk, "years": [y.strip() for y in (years or "").split(",") if y.strip()],
                "cohort": (cohort or "").strip()}
        if school:
            name = school.strip()
            organisation = Organisation.objects.filter(
                Q(short_name__iexact=name) | Q(name__iexact=name), municipality=found[0]).first()
            if organisation is None:
                raise CommandError(f"Организация «{school}» не найдена в муниципалитете «{found[0].name}».")
            data["organisation_id"] = organisation.pk
        if kind == "project":
            if not project:
                raise CommandError("Для отчета project укажите --project: название муниципального проекта.")
            # Compared in Python: SQLite's iexact ignores the case of Latin letters only.
            wanted = project.strip().casefold()
            projects = [p for p in Project.objects.filter(municipality=found[0]) if p.title.casefold() == wanted]
            if not projects:
                raise CommandError(f"Проект «{project}» не найден в муниципалитете «{found[0].name}».")
            if len(projects) > 1:
                raise CommandError(f"Проектов с названием «{project}» несколько; уточните название.")
            data["project_id"] = projects[0].pk
        try:
            params = ReportParams.from_dict(data)
            extra = {}
            if kind == "registry":
                routes = Route.objects.filter(organisation__municipality=params.municipality)
                if params.organisation:
                    routes = routes.filter(organisation=params.organisation)
                if years:
                    routes = routes.filter(academic_year__in=params.years)
                extra["queryset"] = registry_sorted(registry_queryset(routes), "municipality")
            path = Path(out)
            with path.open("wb") as handle:
                report = build(kind, format, params, handle, **extra)
        except ReportError as exc:
            Path(out).unlink(missing_ok=True)
            raise CommandError(str(exc)) from exc
        self.stdout.write(f"{report.title}: {path} ({path.stat().st_size} байт)")
