from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from simple_history.models import HistoricalRecords

from schools.models import StaffMember


class CompetencyGroup(models.Model):
    """A group of the framework; the four roadmap groups have `in_roadmap` set (seed 004)."""

    code = models.SlugField("код", max_length=30, unique=True)
    name = models.CharField("название", max_length=200, unique=True)
    order = models.PositiveSmallIntegerField("порядок", default=0)
    in_roadmap = models.BooleanField("раздел дорожной карты", default=True)

    class Meta:
        ordering = ["order", "name"]
        verbose_name = "группа компетенций"
        verbose_name_plural = "группы компетенций"

    def __str__(self):
        return self.name


class Competency(models.Model):
    group = models.ForeignKey(CompetencyGroup, on_delete=models.PROTECT, related_name="competencies", verbose_name="группа")
    code = models.CharField("код", max_length=20, unique=True)
    name = models.CharField("название", max_length=300)
    description = models.TextField("описание", blank=True)
    order = models.PositiveSmallIntegerField("порядок", default=0)

    class Meta:
        ordering = ["group__order", "order", "code"]
        verbose_name = "компетенция"
        verbose_name_plural = "компетенции"

    def __str__(self):
        return f"{self.code} {self.name}"


class Instrument(models.Model):
    class Method(models.TextChoices):
        OBSERVATION = "observation", "Наблюдение"
        QUESTIONNAIRE = "questionnaire", "Анкетирование"
        TEST = "test", "Тестирование"
        INTERVIEW = "interview", "Интервьюирование"
        INDIRECT = "indirect", "Сбор косвенных данных"
        DOCUMENTS = "documents", "Анализ документации"
        EXPERIMENT = "experiment", "Диагностический эксперимент"
        SIMULATION = "simulation", "Моделирование ситуаций"
        CASE_ANALYSIS = "case_analysis", "Анализ конкретных ситуаций"
        CASES = "cases", "Кейсы"
        FOCUS_GROUP = "focus_group", "Фокус-группа"
        EXPERT = "expert", "Экспертная оценка"

    PASSIVE_METHODS = {"observation", "questionnaire", "test", "interview", "indirect", "documents"}

    name = models.CharField("название", max_length=300, unique=True)
    method = models.CharField("метод", max_length=20, choices=Method)
    is_external = models.BooleanField("внешняя оценка", default=False)
    validity_min = models.DecimalField("валидность от", max_digits=3, decimal_places=2, null=True, blank=True)
    validity_max = models.DecimalField("валидность до", max_digits=3, decimal_places=2, null=True, blank=True)
    threshold = models.PositiveSmallIntegerField(
        "порог дефицита", default=60, validators=[MaxValueValidator(100)],
        help_text="Балл ниже порога означает профессиональный дефицит.",
    )
    competencies = models.ManyToManyField(Competency, related_name="instruments", blank=True, verbose_name="компетенции")
    is_self_assessment = models.BooleanField("самооценка педагога", default=False)

    class Meta:
        ordering = ["name"]
        verbose_name = "диагностический инструмент"
        verbose_name_plural = "диагностические инструменты"

    def __str__(self):
        return self.name

    @property
    def is_passive(self) -> bool:
        return self.method in self.PASSIVE_METHODS


class Statement(models.Model):
    """A questionnaire statement about one competency, rated on a scale (self-assessment)."""

    instrument = models.ForeignKey(Instrument, on_delete=models.CASCADE, related_name="statements")
    competency = models.ForeignKey(Competency, on_delete=models.PROTECT, related_name="statements")
    text = models.CharField("утверждение", max_length=500)
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["instrument", "competency__group__order", "competency__order", "order"]
        verbose_name = "утверждение анкеты"
        verbose_name_plural = "утверждения анкеты"

    def __str__(self):
        return self.text


class Assessment(models.Model):
    class Source(models.TextChoices):
        SELF = "self", "Самооценка"
        DEPUTY = "deputy", "Оценка заместителя директора"
        IMPORT = "import", "Внешняя диагностика (импорт)"

    person = models.ForeignKey(StaffMember, on_delete=models.CASCADE, related_name="assessments", verbose_name="педагог")
    instrument = models.ForeignKey(Instrument, on_delete=models.PROTECT, related_name="assessments", verbose_name="инструмент")
    taken_on = models.DateField("дата")
    source = models.CharField("источник", max_length=10, choices=Source)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True)
    note = models.TextField("примечание", blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-taken_on", "-pk"]
        indexes = [models.Index(fields=["person", "taken_on"])]
        verbose_name = "диагностика"
        verbose_name_plural = "диагностики"

    def __str__(self):
        return f"{self.instrument} — {self.person} ({self.taken_on:%d.%m.%Y})"


class Score(models.Model):
    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="scores")
    competency = models.ForeignKey(Competency, on_delete=models.PROTECT, related_name="scores")
    value = models.PositiveSmallIntegerField("балл", validators=[MinValueValidator(0), MaxValueValidator(100)])

    class Meta:
        constraints = [models.UniqueConstraint(fields=["assessment", "competency"], name="score_unique")]
        verbose_name = "балл"
        verbose_name_plural = "баллы"


class Deficit(models.Model):
    class Status(models.TextChoices):
        DETECTED = "detected", "Выявлен"
        IN_WORK = "in_work", "В работе"
        OVERCOME = "overcome", "Преодолен"
        DISMISSED = "dismissed", "Снят"

    OPEN_STATUSES = (Status.DETECTED, Status.IN_WORK)

    person = models.ForeignKey(StaffMember, on_delete=models.CASCADE, related_name="deficits", verbose_name="педагог")
    competency = models.ForeignKey(Competency, on_delete=models.PROTECT, related_name="deficits", verbose_name="компетенция")
    status = models.CharField("состояние", max_length=10, choices=Status, default=Status.DETECTED)
    source_score = models.ForeignKey(Score, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
        help_text="Заполнено, если дефицит добавлен вручную.",
    )
    reason = models.TextField("причина (ручное добавление или снятие)", blank=True)
    detected_on = models.DateField("выявлен")
    closed_on = models.DateField("закрыт", null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["status", "competency__code"]
        indexes = [models.Index(fields=["person", "status"]), models.Index(fields=["competency", "status"])]
        verbose_name = "профессиональный дефицит"
        verbose_name_plural = "профессиональные дефициты"

    def __str__(self):
        return f"{self.competency.name} — {self.person}"
