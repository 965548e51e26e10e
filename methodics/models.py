"""Methodical support: events and attendance, mentoring, a school's programme of help, municipal projects.

What the reports read here:
- `Event` + `Attendance`: the methodical events of a period and who attended them (seeds 000, 002);
- `MentoringPair`: who mentors whom and when (indicators young_supported_share, mentoring_schools_share);
- `Project`, `ProjectParticipant`, `ParticipantStep`: a municipal project and each participant's
  four steps (seed 002); `methodics.projects.selectors.project_figures` computes the project report's figures.
"""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from simple_history.models import HistoricalRecords

from core import words
from diagnostics.models import Competency
from routes.models import Level, RoadmapActivity, Route
from schools.models import Municipality, Organisation, StaffMember


class Event(models.Model):
    """A methodical event of the municipal methodical centre (organisation empty) or of one school."""

    class Kind(models.TextChoices):
        SEMINAR = "seminar", "Семинар"
        PRACTICUM = "practicum", "Семинар-практикум"
        CONSULTATION = "consultation", "Методическая консультация"
        COURSE = "course", "Курсы повышения квалификации (КПК)"
        WEBINAR = "webinar", "Вебинар"
        ROUND_TABLE = "round_table", "Круглый стол"
        CONFERENCE = "conference", "Конференция"
        RMO = "rmo", "Заседание РМО"
        SHMO = "shmo", "Заседание ШМО"

    # The roadmap activity kinds (routes.ActivityKind codes) an attendance of this event can confirm.
    ACTIVITY_KINDS = {
        Kind.SEMINAR: {"seminar"},
        Kind.PRACTICUM: {"seminar", "master_class"},
        Kind.CONSULTATION: {"seminar", "self_education", "other"},
        Kind.COURSE: {"course"},
        Kind.WEBINAR: {"webinar", "seminar"},
        Kind.ROUND_TABLE: {"conference", "seminar", "experience"},
        Kind.CONFERENCE: {"conference", "experience"},
        Kind.RMO: {"rmo"},
        Kind.SHMO: {"rmo"},
    }

    municipality = models.ForeignKey(
        Municipality, on_delete=models.PROTECT, related_name="events", verbose_name="муниципалитет"
    )
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, null=True, blank=True, related_name="events",
        verbose_name="организатор (ОО)", help_text="Пусто — мероприятие муниципального методического центра.",
    )
    kind = models.CharField("форма", max_length=20, choices=Kind)
    level = models.CharField("уровень", max_length=10, choices=Level, default=Level.MUNICIPAL)
    title = models.CharField("тема", max_length=500)
    held_on = models.DateField("дата проведения", db_index=True)
    place = models.CharField("место проведения", max_length=300, blank=True)
    hours = models.PositiveSmallIntegerField("объем, часов", null=True, blank=True)
    description = models.TextField("описание", blank=True)
    competencies = models.ManyToManyField(
        Competency, blank=True, related_name="events", verbose_name="компетенции, на которые направлено"
    )
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    history = HistoricalRecords(m2m_fields=[competencies])

    class Meta:
        ordering = ["-held_on", "title"]
        indexes = [models.Index(fields=["municipality", "held_on"]), models.Index(fields=["organisation", "held_on"])]
        verbose_name = "методическое мероприятие"
        verbose_name_plural = "методические мероприятия"

    def __str__(self):
        return f"{self.display_title} ({self.held_on:%d.%m.%Y})"

    @property
    def display_title(self) -> str:
        """«Семинар-практикум «Проектирование ИОМ педагога»», the kind named once (core.words.activity_title)."""
        return words.activity_title(self.get_kind_display(), self.title, start=True)

    @property
    def is_municipal(self) -> bool:
        return self.organisation_id is None

    @property
    def organiser_label(self) -> str:
        if self.organisation_id is None:
            return self.municipality.methodical_centre or f"ММЦ: {self.municipality.name}"
        return self.organisation.short_name


class Attendance(models.Model):
    """One staff member attended one event."""

    class Source(models.TextChoices):
        MANUAL = "manual", "Отмечен вручную"
        IMPORT = "import", "Загружен из файла"

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="attendances", verbose_name="мероприятие")
    person = models.ForeignKey(
        StaffMember, on_delete=models.PROTECT, related_name="attendances", verbose_name="участник"
    )
    source = models.CharField("как отмечен", max_length=10, choices=Source, default=Source.MANUAL)
    added_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    added_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["person__last_name", "person__first_name", "person__middle_name"]
        constraints = [models.UniqueConstraint(fields=["event", "person"], name="attendance_once_per_event")]
        indexes = [models.Index(fields=["person", "event"])]
        verbose_name = "участие в мероприятии"
        verbose_name_plural = "участие в мероприятиях"

    def __str__(self):
        return f"{self.person} — {self.event}"


class AttendanceLink(models.Model):
    """An attendance used as the evidence of a roadmap activity, which it marked done."""

    attendance = models.ForeignKey(Attendance, on_delete=models.CASCADE, related_name="links")
    activity = models.OneToOneField(RoadmapActivity, on_delete=models.CASCADE, related_name="attendance_link")
    # The evidence row written into the route when the link was made; removed with the link.
    evidence = models.ForeignKey("routes.Evidence", on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    # Whether the link itself marked the activity done (so unlinking knows what to undo).
    marked_done = models.BooleanField(default=True)
    linked_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    linked_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "подтверждение мероприятием"
        verbose_name_plural = "подтверждения мероприятиями"

    def __str__(self):
        return f"{self.attendance} → {self.activity}"


class MentoringPair(models.Model):
    """A mentor and a mentee of one organisation, from `starts_on` until `ends_on` (empty: ongoing)."""

    class Reason(models.TextChoices):
        YOUNG_SPECIALIST = "young_specialist", "Молодой специалист"
        NEW_POSITION = "new_position", "Новая должность"
        DEFICITS = "deficits", "Профессиональные дефициты"

    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="mentoring_pairs", verbose_name="организация"
    )
    mentor = models.ForeignKey(
        StaffMember, on_delete=models.PROTECT, related_name="mentoring_as_mentor", verbose_name="наставник"
    )
    mentee = models.ForeignKey(
        StaffMember, on_delete=models.PROTECT, related_name="mentoring_as_mentee", verbose_name="наставляемый"
    )
    reason = models.CharField("основание", max_length=20, choices=Reason)
    starts_on = models.DateField("начало")
    ends_on = models.DateField("окончание", null=True, blank=True)
    note = models.CharField("примечание", max_length=500, blank=True)
    end_note = models.CharField("итог наставничества", max_length=500, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-starts_on", "mentee__last_name"]
        constraints = [
            models.UniqueConstraint(
                fields=["mentee"], condition=Q(ends_on__isnull=True), name="mentoring_one_open_pair_per_mentee"
            ),
            models.CheckConstraint(condition=~Q(mentor=F("mentee")), name="mentoring_mentor_is_not_mentee"),
            models.CheckConstraint(
                condition=Q(ends_on__isnull=True) | Q(ends_on__gte=F("starts_on")), name="mentoring_ends_after_start"
            ),
        ]
        indexes = [models.Index(fields=["organisation", "ends_on"])]
        verbose_name = "наставническая пара"
        verbose_name_plural = "наставнические пары"

    def __str__(self):
        return f"{self.mentor.short_name} → {self.mentee.short_name}"

    @property
    def is_active(self) -> bool:
        return self.ends_on is None


class HelpPlan(models.Model):
    """A school's programme of help to teachers with deficits for one academic year (seed 004)."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="help_plans", verbose_name="организация"
    )
    academic_year = models.CharField("учебный год", max_length=9)
    title = models.CharField(
        "название", max_length=300,
        default="Программа помощи учителям, имеющим профессиональные проблемы и дефициты",
    )
    programme_period = models.CharField("срок реализации программы", max_length=20, blank=True,
                                        help_text="Например: 2023-2028")
    goal = models.TextField("цель", blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-academic_year", "organisation__short_name"]
        constraints = [
            models.UniqueConstraint(fields=["organisation", "academic_year"], name="help_plan_one_per_school_year")
        ]
        verbose_name = "программа помощи педагогам"
        verbose_name_plural = "программы помощи педагогам"

    def __str__(self):
        return f"{self.organisation.short_name}: программа помощи на {self.academic_year}"


class Stage(models.TextChoices):
    """The yearly cycle of seed 004."""

    DIAGNOSTICS = "diagnostics", "Диагностика (апрель)"
    DRAFTING = "drafting", "Анализ диагностики, составление ИОМ"
    IMPLEMENTATION = "implementation", "Реализация ИОМ"
    SUMMING_UP = "summing_up", "Подведение итогов (при аттестации)"


class HelpDirection(models.Model):
    """A direction of the programme: a group of activities with its aim (seed 004's numbered sections)."""

    plan = models.ForeignKey(HelpPlan, on_delete=models.CASCADE, related_name="directions")
    title = models.CharField("направление", max_length=500)
    aim = models.CharField("цель направления", max_length=500, blank=True)
    order = models.PositiveSmallIntegerField("порядок", default=0)

    class Meta:
        ordering = ["order", "pk"]
        verbose_name = "направление программы"
        verbose_name_plural = "направления программы"

    def __str__(self):
        return self.title


class HelpActivity(models.Model):
    plan = models.ForeignKey(HelpPlan, on_delete=models.CASCADE, related_name="activities")
    direction = models.ForeignKey(
        HelpDirection, on_delete=models.CASCADE, related_name="activities", verbose_name="направление"
    )
    stage = models.CharField("этап годового цикла", max_length=20, choices=Stage)
    title = models.CharField("мероприятие", max_length=1000)
    due_on = models.DateField("срок", null=True, blank=True)
    timing = models.CharField("срок словами", max_length=200, blank=True,
                              help_text="Например: в течение года, по необходимости")
    responsible = models.CharField("ответственные", max_length=300)
    responsible_person = models.ForeignKey(
        StaffMember, on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
        verbose_name="ответственный сотрудник",
    )
    is_done = models.BooleanField("выполнено", default=False)
    done_on = models.DateField("дата выполнения", null=True, blank=True)
    note = models.CharField("примечание", max_length=500, blank=True)
    order = models.PositiveSmallIntegerField("порядок", default=0)
    history = HistoricalRecords()

    class Meta:
        ordering = ["direction__order", "order", "due_on", "pk"]
        verbose_name = "мероприятие программы помощи"
        verbose_name_plural = "мероприятия программы помощи"

    def __str__(self):
        return self.title


class Project(models.Model):
    """A municipal project (seed 002: «ИОМ в действии»)."""

    municipality = models.ForeignKey(
        Municipality, on_delete=models.PROTECT, related_name="projects", verbose_name="муниципалитет"
    )
    title = models.CharField("название", max_length=300)
    goal = models.TextField("цель", blank=True)
    starts_on = models.DateField("начало")
    ends_on = models.DateField("окончание")
    organisations = models.ManyToManyField(
        Organisation, blank=True, related_name="projects", verbose_name="организации-участники"
    )
    events = models.ManyToManyField(Event, blank=True, related_name="projects", verbose_name="мероприятия проекта")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords(m2m_fields=[organisations, events])

    class Meta:
        ordering = ["-starts_on", "title"]
        constraints = [
            models.CheckConstraint(condition=Q(ends_on__gte=F("starts_on")), name="project_ends_after_start"),
        ]
        verbose_name = "муниципальный проект"
        verbose_name_plural = "муниципальные проекты"

    def __str__(self):
        return self.title


class ProjectReportText(models.Model):
    """The narrative of a project's report (seed 002), written by the methodist over the defaults that
    methodics.projects.texts makes from the project's data; an empty section prints its default."""

    SECTIONS = ["problem", "tasks", "expected_results", "product", "stages", "conclusions", "proposals", "signature"]

    project = models.OneToOneField(Project, on_delete=models.CASCADE, related_name="report_text")
    problem = models.TextField("проблема", blank=True)
    tasks = models.TextField("задачи проекта", blank=True)
    expected_results = models.TextField("ожидаемый результат проекта", blank=True)
    product = models.TextField("продукт проекта", blank=True)
    stages = models.TextField("ход реализации по этапам", blank=True)
    conclusions = models.TextField("выводы", blank=True)
    proposals = models.TextField("предложения", blank=True)
    signature = models.CharField("подпись", max_length=300, blank=True)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                   related_name="+")
    updated_at = models.DateTimeField(auto_now=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        verbose_name = "текст справки по проекту"
        verbose_name_plural = "тексты справок по проектам"

    def __str__(self):
        return str(self.project)


class ProjectParticipant(models.Model):
    """A person taking part in a project; `route` is the ИОМ their four steps are read from."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="participants")
    person = models.ForeignKey(
        StaffMember, on_delete=models.PROTECT, related_name="project_participations", verbose_name="участник"
    )
    route = models.ForeignKey(
        Route, on_delete=models.SET_NULL, null=True, blank=True, related_name="project_participations",
        verbose_name="ИОМ участника",
    )
    added_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["person__organisation__order", "person__last_name", "person__first_name"]
        constraints = [models.UniqueConstraint(fields=["project", "person"], name="participant_once_per_project")]
        verbose_name = "участник проекта"
        verbose_name_plural = "участники проекта"

    def __str__(self):
        return f"{self.person} — {self.project}"


class Step(models.TextChoices):
    """The four steps of a project participant (seed 002)."""

    APPROVED = "approved", "Разработал собственный ИОМ (утвержден)"
    DEFENDED = "defended", "Защитил ИОМ в профессиональном сообществе"
    COMPLETED = "completed", "Реализовал ИОМ"
    PRESENTED = "presented", "Представил итоги реализации ИОМ"


class ParticipantStep(models.Model):
    """An explicit record of a step, kept where the participant's route lacks the data."""

    participant = models.ForeignKey(ProjectParticipant, on_delete=models.CASCADE, related_name="steps")
    step = models.CharField("шаг", max_length=10, choices=Step)
    done_on = models.DateField("дата")
    place = models.CharField("где (ШМО, педсовет, РМО…)", max_length=300, blank=True)
    note = models.CharField("примечание", max_length=500, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["participant", "step"]
        constraints = [models.UniqueConstraint(fields=["participant", "step"], name="participant_step_once")]
        verbose_name = "шаг участника проекта"
        verbose_name_plural = "шаги участников проекта"

    def __str__(self):
        return f"{self.participant.person}: {self.get_step_display()}"
