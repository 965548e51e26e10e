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
    # ИКТ and Коммуникативные are directions of self-education (seed 004) but not sections of
    # the roadmap table: their activities are drafted into the section named here.
    roadmap_section = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
        limit_choices_to={"in_roadmap": True}, verbose_name="раздел дорожной карты для мероприятий",
        help_text="Только для направлений, которые не являются разделом дорожной карты.",
    )

    class Meta:
        ordering = ["order", "name"]
        verbose_name = "группа компетенций"
        verbose_name_plural = "группы компетенций"

    def __str__(self):
        return self.name

    @property
    def section(self) -> "CompetencyGroup":
        """The roadmap section activities of this group are drafted into."""
        if self.in_roadmap or self.roadmap_section_id is None:
            return self
        return self.roadmap_section


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
    description = models.TextField("описание", blank=True)
    method = models.CharField("метод", max_length=20, choices=Method)
    is_external = models.BooleanField("внешняя оценка", default=False)
    validity_basis = models.CharField(
        "оценочная процедура (по таблице валидности)", max_length=300, blank=True,
        help_text="Строка таблицы эмпирической валидности, по которой задан интервал.",
    )
    validity_min = models.DecimalField("валидность от", max_digits=3, decimal_places=2, null=True, blank=True)
    validity_max = models.DecimalField("валидность до", max_digits=3, decimal_places=2, null=True, blank=True)
    threshold = models.PositiveSmallIntegerField(
        "порог дефицита", default=60, validators=[MaxValueValidator(100)],
        help_text="Балл ниже порога означает профессиональный дефицит.",
    )
    competencies = models.ManyToManyField(Competency, related_name="instruments", blank=True, verbose_name="компетенции")
    is_self_assessment = models.BooleanField("самооценка педагога", default=False)
    is_active = models.BooleanField("используется", default=True)

    class Meta:
        ordering = ["name"]
        verbose_name = "диагностический инструмент"
        verbose_name_plural = "диагностические инструменты"

    def __str__(self):
        return self.name

    @property
    def is_passive(self) -> bool:
        return self.method in self.PASSIVE_METHODS

    @property
    def validity_label(self) -> str:
        """"0,20–0,40" with the decimal comma; empty when the procedure has no row in the table."""
        if self.validity_min is None or self.validity_max is None:
            return ""
        return f"{self.validity_min:.2f}–{self.validity_max:.2f}".replace(".", ",")

    @property
    def method_kind_label(self) -> str:
        return "пассивный" if self.is_passive else "активный"


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

    def __str__(self):
        return f"{self.competency.code}: {self.value}"


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
    reason = models.TextField("основание (для добавленного вручную)", blank=True)
    dismissal_reason = models.TextField("причина снятия", blank=True)
    detected_on = models.DateField("выявлен")
    closed_on = models.DateField("закрыт", null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
        help_text="Кто снял дефицит (для преодоленных — пусто: их закрывает новая диагностика).",
    )
    closed_by_score = models.ForeignKey(Score, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    history = HistoricalRecords()

    class Meta:
        ordering = ["status", "competency__code"]
        indexes = [models.Index(fields=["person", "status"]), models.Index(fields=["competency", "status"])]
        verbose_name = "профессиональный дефицит"
        verbose_name_plural = "профессиональные дефициты"

    def __str__(self):
        return f"{self.competency.name} — {self.person}"

    @property
    def is_open(self) -> bool:
        return self.status in self.OPEN_STATUSES

    @property
    def source_label(self) -> str:
        if self.source_score_id is None:
            return "добавлен вручную"
        assessment = self.source_score.assessment
        return f"{assessment.instrument.name}, {assessment.taken_on:%d.%m.%Y}"
