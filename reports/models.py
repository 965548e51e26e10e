
from django.conf import settings
from django.db import models

from core.queue import QueuedJob
from schools.models import Municipality


class Indicator(models.Model):
    """A plan/fact indicator (seed 003): reference data with a target, and how its fact is computed."""

    class Level(models.TextChoices):
        FEDERAL = "federal", "Федеральный"
        REGIONAL = "regional", "Региональный"
        MUNICIPAL = "municipal", "Муниципальный"

    class Computation(models.TextChoices):
        IOM_SHARE = "iom_share", "Доля педагогов с ИОМ"
        REGISTRY_COURSES_SHARE = "registry_courses_share", "Доля педагогов, прошедших КПК по дефицитам"
        YOUNG_SUPPORTED_SHARE = "young_supported_share", "Доля молодых педагогов с сопровождением"
        MENTORING_SCHOOLS_SHARE = "mentoring_schools_share", "Доля школ с наставничеством"

    code = models.SlugField("код", max_length=40, unique=True)
    name = models.CharField("наименование", max_length=500)
    level = models.CharField("уровень", max_length=10, choices=Level, default=Level.REGIONAL)
    target = models.DecimalField("целевое значение", max_digits=7, decimal_places=1)
    unit = models.CharField("единица", max_length=20, default="%")
    period = models.CharField("период", max_length=100, blank=True, help_text="Например: к 2024 году")
    computation = models.CharField(
        "как считается факт", max_length=30, choices=Computation, unique=True,
        help_text="Встроенный расчет по данным портала (docs/spec/reports.md, indicators).",
    )
    order = models.PositiveSmallIntegerField("порядок", default=0)
    is_active = models.BooleanField("действует", default=True)

    class Meta:
        ordering = ["order", "code"]
        verbose_name = "показатель"
        verbose_name_plural = "показатели"

    def __str__(self):
        return self.name


class MunicipalReportText(models.Model):
    """The methodist's own words of the analytical report (seed 000), kept per municipality and year."""

    municipality = models.ForeignKey(Municipality, on_delete=models.CASCADE, related_name="report_texts")
    academic_year = models.CharField("учебный год", max_length=9)
    tasks = models.TextField("задачи ММЦ", blank=True)
    actions = models.TextField("выполненные действия и мероприятия", blank=True)
    problems = models.TextField("выводы, проблемы (дополнительно)", blank=True)
    recommendations = models.TextField("рекомендации", blank=True)
    signature = models.CharField("подпись", max_length=300, blank=True)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["municipality", "academic_year"], name="report_text_unique_year"),
        ]
        verbose_name = "текст аналитической справки"
        verbose_name_plural = "тексты аналитических справок"

    def __str__(self):
        return f"{self.municipality} {self.academic_year}"


class FigureSnapshot(models.Model):
    """A key figure of one municipality on one night, so dashboards can show its course."""

    municipality = models.ForeignKey(Municipality, on_delete=models.CASCADE, related_name="snapshots")
    taken_on = models.DateField("дата")
    code = models.CharField("показатель", max_length=40)
    value = models.DecimalField("значение", max_digits=9, decimal_places=1, null=True)
    numerator = models.PositiveIntegerField(default=0)
    denominator = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["municipality", "code", "taken_on"]
        constraints = [
            models.UniqueConstraint(fields=["municipality", "taken_on", "code"], name="snapshot_unique_day"),
        ]
        verbose_name = "снимок показателя"
        verbose_name_plural = "снимки показателей"

    def __str__(self):
        return f"{self.municipality} {self.code} {self.taken_on:%d.%m.%Y}"


class ReportJob(QueuedJob):
    """One ordered report: built by a Celery task, its file served to those allowed until it expires."""

    STORAGE_FOLDER = "reports"

    class Kind(models.TextChoices):
        COVERAGE = "coverage", "Аналитическая справка (Таблица 1)"
        AUDIT = "audit", "Внутренний аудит реализации ИОМ"
        PROJECT = "project", "Итоги муниципального проекта"
        INDICATORS = "indicators", "Показатели: план и факт"
        REGISTRY = "registry", "Реестр ИОМ"
        REGION = "region", "Отчет по региону (Таблица 1 и аудит по муниципалитетам)"
        MONITOR = "monitor", "Реализация ИОМ (монитор)"

    class Format(models.TextChoices):
        XLSX = "xlsx", "Excel (XLSX)"
        PDF = "pdf", "PDF"
        DOCX = "docx", "Word (DOCX)"
        CSV = "csv", "CSV"

    class Status(models.TextChoices):
        QUEUED = "queued", "В очереди"
        RUNNING = "running", "Формируется"
        DONE = "done", "Готов"
        FAILED = "failed", "Ошибка"

    requester = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="report_jobs")
    kind = models.CharField("отчет", max_length=12, choices=Kind)
    format = models.CharField("формат", max_length=4, choices=Format)
    params = models.JSONField("параметры", default=dict)
    description = models.CharField("описание", max_length=500, blank=True)
    status = models.CharField("состояние", max_length=8, choices=Status, default=Status.QUEUED)
    progress = models.PositiveSmallIntegerField("готовность, %", default=0)
    file = models.FileField("файл", upload_to="reports/", blank=True)
    filename = models.CharField("имя файла", max_length=255, blank=True)
    expires_at = models.DateTimeField("хранится до", null=True, blank=True)
    created_at = models.DateTimeField("заказан", auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["requester", "created_at"]), models.Index(fields=["status", "expires_at"])]
        verbose_name = "заказ отчета"
        verbose_name_plural = "заказы отчетов"

    def __str__(self):
        return f"{self.get_kind_display()} ({self.get_format_display()})"

    @property
    def content_type(self) -> str:
        return {
            "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            "pdf": "application/pdf",
            "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
            "csv": "text/csv; charset=utf-8",
        }[self.format]


class AuditLetterText(models.Model):
    """The methodist's words of the audit letter (seed 001) for one cohort: empty fields take the
    defaults of reports.texts (audit_default_*), so «Вернуть тексты по умолчанию» clears them."""

    municipality = models.ForeignKey(Municipality, on_delete=models.CASCADE, related_name="audit_texts")
    cohort = models.CharField("когорта (учебный год)", max_length=9)
    number = models.CharField("исходящий номер", max_length=50, blank=True)
    basis = models.TextField("основание аудита (первый абзац)", blank=True)
    conclusion = models.TextField("выводы", blank=True)
    recommendations = models.TextField("рекомендации руководителям организаций", blank=True)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["municipality", "cohort"], name="audit_text_unique_cohort"),
        ]
        verbose_name = "текст письма об аудите"
        verbose_name_plural = "тексты писем об аудите"

    def __str__(self):
        return f"{self.municipality} — {self.cohort}"
