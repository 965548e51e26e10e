from django.conf import settings
from django.db import models
from simple_history.models import HistoricalRecords

from core.links import web_url_validator
from core.models import stored_file_path
from diagnostics.models import Assessment, Competency, CompetencyGroup, Deficit, Instrument, Score
from schools.models import Municipality, Organisation, StaffMember


class ActivityKind(models.Model):
    """Reference data of docs/spec/import-formats.md; the codes are what the reports count."""

    code = models.SlugField("код", max_length=30, unique=True)
    name = models.CharField("вид", max_length=200, unique=True)
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["order", "name"]
        verbose_name = "вид мероприятия"
        verbose_name_plural = "виды мероприятий"

    def __str__(self):
        return self.name


class Level(models.TextChoices):
    SCHOOL = "school", "Школьный"
    MUNICIPAL = "municipal", "Муниципальный"
    REGIONAL = "regional", "Региональный"
    FEDERAL = "federal", "Федеральный"


class CatalogResource(models.Model):
    """A course, event, book or online resource a roadmap activity can be drafted from."""

    class Kind(models.TextChoices):
        COURSE = "course", "Курс (КПК/ДПП)"
        EVENT = "event", "Мероприятие"
        LITERATURE = "literature", "Литература"
        ONLINE = "online", "Интернет-ресурс"

    kind = models.CharField("тип", max_length=12, choices=Kind)
    title = models.CharField("название", max_length=500)
    provider = models.CharField("организатор / автор", max_length=300, blank=True)
    hours = models.PositiveSmallIntegerField("часов", null=True, blank=True)
    in_federal_registry = models.BooleanField("в федеральном реестре ДПП", default=False)
    # Django's URLField also takes ftp: a resource is opened by teachers, so only a web site.
    url = models.URLField("ссылка", blank=True, validators=[web_url_validator])
    level = models.CharField("уровень", max_length=10, choices=Level, default=Level.MUNICIPAL)
    # Who keeps the item (routes.catalog.services.may_keep): a municipality's own school and municipal items;
    # empty for the items of the region and the federation, the starter catalog and imports.
    municipality = models.ForeignKey(
        Municipality, on_delete=models.PROTECT, null=True, blank=True, related_name="catalog_resources",
        verbose_name="муниципалитет, который ведет ресурс",
    )
    activity_kind = models.ForeignKey(ActivityKind, on_delete=models.PROTECT, verbose_name="вид мероприятия в карте")
    competencies = models.ManyToManyField(Competency, related_name="resources", verbose_name="компетенции")
    is_active = models.BooleanField("действует", default=True)

    class Meta:
        ordering = ["-in_federal_registry", "title"]
        verbose_name = "ресурс каталога"
        verbose_name_plural = "каталог ресурсов"

    def __str__(self):
        return self.title


class Route(models.Model):
    """An individual educational route (ИОМ) of one staff member, developed in one academic year."""

    class Status(models.TextChoices):
        DRAFT = "draft", "Черновик"
        SUBMITTED = "submitted", "На согласовании"
        RETURNED = "returned", "На доработке"
        AWAITING_CREDIT = "awaiting_credit", "На проверке (зачет)"
        NOT_CREDITED = "not_credited", "Не зачтен"
        IN_PROGRESS = "in_progress", "Реализуется"
        EXPIRED = "expired", "Срок истек"
        RESULTS_SUBMITTED = "results_submitted", "Итоги на проверке"
        COMPLETED = "completed", "Завершен"
        ARCHIVED = "archived", "В архиве"
        WITHDRAWN = "withdrawn", "Отозван"

    # The teacher edits the content only in these states (docs/spec/workflow.md).
    EDITABLE_STATUSES = (Status.DRAFT, Status.RETURNED, Status.NOT_CREDITED)
    # "Approved or beyond": approved by the deputy, whatever happened after.
    APPROVED_STATUSES = (
        Status.AWAITING_CREDIT, Status.NOT_CREDITED, Status.IN_PROGRESS, Status.EXPIRED, Status.RESULTS_SUBMITTED,
        Status.COMPLETED, Status.ARCHIVED,
    )
    # "Being implemented or beyond": an expired route was implemented until its end date and still
    # waits for its results, so every figure of implementation counts it (docs/spec/workflow.md).
    IMPLEMENTING_STATUSES = (Status.IN_PROGRESS, Status.EXPIRED, Status.RESULTS_SUBMITTED, Status.COMPLETED,
                             Status.ARCHIVED)
    # The teacher marks activities done (dates inside the period) and explains those not done.
    MARKING_STATUSES = (Status.IN_PROGRESS, Status.EXPIRED)

    class Outcome(models.TextChoices):
        FULL = "full", "Достигнут полностью"
        PARTIAL = "partial", "Достигнут частично"
        NOT_ACHIEVED = "not_achieved", "Не достигнут"

    person = models.ForeignKey(StaffMember, on_delete=models.PROTECT, related_name="routes", verbose_name="педагог")
    # Where the person worked when the route was made; scopes and reports read it without a join.
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="routes", verbose_name="организация")
    academic_year = models.CharField("учебный год", max_length=9, db_index=True)
    status = models.CharField("статус", max_length=20, choices=Status, default=Status.DRAFT)
    # title page
    city = models.CharField("населенный пункт", max_length=200, blank=True)
    # information card, snapshot taken at submission (position, subject, education, courses…)
    card = models.JSONField("информационная карта", default=dict, blank=True)
    # explanatory note
    diagnostics_summary = models.TextField("диагностика и ее результаты", blank=True)
    topic = models.CharField("тема самообразования", max_length=500, blank=True)
    goal = models.TextField("цель", blank=True)
    tasks_text = models.TextField("задачи", blank=True)
    self_education_form = models.CharField("форма самообразования", max_length=300, blank=True)
    expected_result = models.TextField("ожидаемый результат", blank=True)
    starts_on = models.DateField("начало", null=True, blank=True)
    ends_on = models.DateField("окончание", null=True, blank=True)
    reporting_form = models.CharField("форма отчетности", max_length=300, blank=True)
    deficits = models.ManyToManyField(Deficit, blank=True, related_name="routes", verbose_name="дефициты")
    # dates of the lifecycle
    submitted_at = models.DateTimeField("отправлен", null=True, blank=True)
    approved_on = models.DateField("дата утверждения", null=True, blank=True, db_index=True)
    credited_on = models.DateField("дата зачета", null=True, blank=True, db_index=True)
    completed_on = models.DateField("дата завершения", null=True, blank=True)
    # defence of the plan in a professional community (seed 002, participant's step 2)
    defended_on = models.DateField("дата защиты", null=True, blank=True)
    defended_place = models.CharField("где защищен", max_length=300, blank=True)
    # results
    reflection = models.TextField("рефлексия", blank=True)
    outcome_proposed = models.CharField("результат (по оценке педагога)", max_length=15, choices=Outcome, blank=True)
    outcome = models.CharField("результат", max_length=15, choices=Outcome, blank=True)
    results_comment = models.TextField("комментарий наставника / заместителя", blank=True)
    results_presented_on = models.DateField("дата представления результатов", null=True, blank=True)
    results_presented_place = models.CharField("где представлены результаты", max_length=300, blank=True)
    # the end of the period (routes.tasks.expire_routes): when the period ran out, when the municipal
    # methodist was told it still waits; the deputy's one extension: the end date before it and why
    expired_on = models.DateField("срок истек", null=True, blank=True)
    expiry_escalated_at = models.DateTimeField("методист уведомлен об истекшем сроке", null=True, blank=True)
    extended_from = models.DateField("окончание до продления", null=True, blank=True)
    extension_reason = models.TextField("причина продления", blank=True)
    # optimistic concurrency: every content save increments it; a stale form is refused
    version = models.PositiveIntegerField(default=1)
    # Loaded from a registry file (routes/importers.py) rather than made in the portal: when, from which
    # file. Its transitions never happened in the portal, so the route page says where it came from.
    imported_at = models.DateTimeField("загружен из файла", null=True, blank=True)
    imported_from = models.CharField("файл загрузки", max_length=255, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-academic_year", "person__last_name"]
        constraints = [models.UniqueConstraint(fields=["person", "academic_year"], name="route_one_per_person_year")]
        indexes = [
            models.Index(fields=["organisation", "status"]),
            models.Index(fields=["organisation", "credited_on"]),
            models.Index(fields=["organisation", "approved_on"]),
            # the credit queue of a region: waiting routes, oldest approval first
            models.Index(fields=["status", "approved_on"]),
        ]
        verbose_name = "ИОМ"
        verbose_name_plural = "ИОМ"

    def __str__(self):
        return f"ИОМ {self.person} ({self.academic_year})"

    @property
    def is_editable(self) -> bool:
        return self.status in self.EDITABLE_STATUSES


class RouteTask(models.Model):
    """A deficit (or a problem) and the educational task that answers it (seed 003's roadmap)."""

    route = models.ForeignKey(Route, on_delete=models.CASCADE, related_name="tasks")
    deficit = models.ForeignKey(Deficit, on_delete=models.SET_NULL, null=True, blank=True, related_name="route_tasks")
    problem = models.CharField("дефицит / задача деятельности", max_length=500)
    educational_task = models.CharField("образовательная задача", max_length=500, blank=True)
    order = models.PositiveSmallIntegerField(default=0)
    history = HistoricalRecords()

    class Meta:
        ordering = ["order", "pk"]
        verbose_name = "задача ИОМ"
        verbose_name_plural = "задачи ИОМ"

    def __str__(self):
        return self.problem


class RoadmapActivity(models.Model):
    route = models.ForeignKey(Route, on_delete=models.CASCADE, related_name="activities")
    task = models.ForeignKey(RouteTask, on_delete=models.SET_NULL, null=True, blank=True, related_name="activities")
    group = models.ForeignKey(CompetencyGroup, on_delete=models.PROTECT, verbose_name="направление")
    kind = models.ForeignKey(ActivityKind, on_delete=models.PROTECT, verbose_name="вид")
    level = models.CharField("уровень", max_length=10, choices=Level, default=Level.SCHOOL)
    title = models.CharField("мероприятие", max_length=500)
    deadline = models.DateField("срок")
    expected_result = models.CharField("ожидаемый результат", max_length=500, blank=True)
    confirming_document = models.CharField("подтверждающий документ", max_length=500, blank=True)
    is_done = models.BooleanField("выполнено", default=False)
    done_on = models.DateField("дата выполнения", null=True, blank=True)
    note = models.CharField("примечание", max_length=500, blank=True)
    # «не выполнено»: why, written by the teacher with the results (routes.workflow.services.route_submit_results)
    not_done_reason = models.CharField("причина невыполнения", max_length=1000, blank=True)
    resource = models.ForeignKey(CatalogResource, on_delete=models.SET_NULL, null=True, blank=True)
    order = models.PositiveIntegerField(default=0)
    history = HistoricalRecords()

    class Meta:
        ordering = ["group__order", "order", "deadline", "pk"]
        indexes = [models.Index(fields=["route", "is_done"]), models.Index(fields=["deadline", "is_done"])]
        verbose_name = "мероприятие дорожной карты"
        verbose_name_plural = "мероприятия дорожной карты"

    def __str__(self):
        return self.title


class Evidence(models.Model):
    STORAGE_FOLDER = "evidence"

    class Kind(models.TextChoices):
        DIPLOMA = "diploma", "Диплом"
        CERTIFICATE = "certificate", "Сертификат"
        LICENCE = "licence", "Удостоверение"
        STATEMENT = "statement", "Справка"
        PUBLICATION = "publication", "Публикация"
        PHOTO = "photo", "Фотоотчет"
        LINK = "link", "Ссылка"

    activity = models.ForeignKey(RoadmapActivity, on_delete=models.CASCADE, related_name="evidence")
    kind = models.CharField("вид", max_length=12, choices=Kind)
    file = models.FileField("файл", upload_to=stored_file_path, blank=True)
    original_name = models.CharField("имя файла", max_length=255, blank=True)
    content_type = models.CharField(max_length=100, blank=True)
    size = models.PositiveIntegerField(default=0)
    # Django's URLField also takes ftp: reviewers open the link, so only a web site (core.links).
    url = models.URLField("ссылка", blank=True, validators=[web_url_validator])
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True)
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["uploaded_at"]
        verbose_name = "подтверждение"
        verbose_name_plural = "подтверждения"

    def __str__(self):
        return self.original_name or self.url


class Comment(models.Model):
    route = models.ForeignKey(Route, on_delete=models.CASCADE, related_name="comments")
    activity = models.ForeignKey(
        RoadmapActivity, on_delete=models.CASCADE, null=True, blank=True, related_name="comments"
    )
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT)
    text = models.TextField("комментарий")
    created_at = models.DateTimeField(auto_now_add=True)
    resolved = models.BooleanField("учтен", default=False)

    class Meta:
        ordering = ["created_at"]
        verbose_name = "комментарий"
        verbose_name_plural = "комментарии"

    def __str__(self):
        return self.text[:80]


class Transition(models.Model):
    """The log of the lifecycle: who moved the route from which state to which, when, and why."""

    route = models.ForeignKey(Route, on_delete=models.CASCADE, related_name="transitions")
    action = models.CharField("действие", max_length=20)
    from_status = models.CharField(max_length=20, choices=Route.Status)
    to_status = models.CharField(max_length=20, choices=Route.Status)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True)
    at = models.DateTimeField(auto_now_add=True)
    comment = models.TextField(blank=True)

    class Meta:
        ordering = ["at", "pk"]
        verbose_name = "переход статуса"
        verbose_name_plural = "журнал переходов"

    # What users read in the history; "import" is written by the registry import.
    ACTION_LABELS = {
        "create": "Создан", "submit": "Отправлен на согласование", "recall": "Отозван педагогом с согласования",
        "return": "Возвращен на доработку", "approve": "Согласован", "credit": "Зачтен",
        "refuse_credit": "Не зачтен", "submit_results": "Итоги отправлены", "accept_results": "Итоги приняты",
        "return_results": "Итоги возвращены", "archive": "В архиве", "withdraw": "Отозван",
        "amend": "Изменение реализуемого ИОМ",
        "expire": "Срок реализации истек", "extend": "Срок реализации продлен",
        "close_unrealised": "Закрыт как не реализованный", "import": "Загружен из реестра",
    }

    def __str__(self):
        return f"{self.action_label}: {self.get_from_status_display()} → {self.get_to_status_display()}"

    @property
    def action_label(self) -> str:
        return self.ACTION_LABELS.get(self.action, self.action)


class ExpressReview(models.Model):
    """The deputy's express review at approval (seed 002): five criteria scored 0–2."""

    CRITERIA = [
        ("resources_adequate", "Адекватность ресурсов"),
        ("short_horizon", "Короткий горизонт планирования"),
        ("realistic_goal", "Реалистичность цели"),
        ("task_understood", "Понимание педагогической задачи"),
        ("concrete_competency", "Направленность на конкретную компетенцию"),
    ]
    SCORE_CHOICES = [(0, "0 — нет"), (1, "1 — частично"), (2, "2 — да")]

    route = models.ForeignKey(Route, on_delete=models.CASCADE, related_name="reviews")
    reviewer = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT)
    resources_adequate = models.PositiveSmallIntegerField(CRITERIA[0][1], choices=SCORE_CHOICES)
    short_horizon = models.PositiveSmallIntegerField(CRITERIA[1][1], choices=SCORE_CHOICES)
    realistic_goal = models.PositiveSmallIntegerField(CRITERIA[2][1], choices=SCORE_CHOICES)
    task_understood = models.PositiveSmallIntegerField(CRITERIA[3][1], choices=SCORE_CHOICES)
    concrete_competency = models.PositiveSmallIntegerField(CRITERIA[4][1], choices=SCORE_CHOICES)
    comment = models.TextField("комментарий", blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = "экспресс-экспертиза"
        verbose_name_plural = "экспресс-экспертизы"

    def __str__(self):
        return f"Экспресс-экспертиза: {self.total} из 10"

    @property
    def total(self) -> int:
        return sum(getattr(self, code) for code, _ in self.CRITERIA)


class CalendarFeed(models.Model):
    """A person's subscription to the deadlines of their own ИОМ: /calendar/<token>.ics, read by a calendar
    application without signing in (routes/calendar/, docs/calendar.md).

    The token is `key` followed by an HMAC of it under SECRET_KEY (routes/calendar/feeds.py): the row alone
    (a copy of the database, a backup) gives no working address, and the page can show the address again at
    any time. Revoking keeps the row (the page says when) and the old address answers 404; a new link is a
    new row with a new key. One link in force per user.
    """

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="calendar_feeds",
                             verbose_name="пользователь")
    key = models.CharField("ключ", max_length=32, unique=True, editable=False)
    created_at = models.DateTimeField("создана", auto_now_add=True)
    last_used_at = models.DateTimeField("последнее обращение календаря", null=True, blank=True)
    revoked_at = models.DateTimeField("отозвана", null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [models.UniqueConstraint(fields=["user"], condition=models.Q(revoked_at__isnull=True),
                                               name="calendar_feed_one_active_per_user")]
        verbose_name = "ссылка на календарь сроков"
        verbose_name_plural = "ссылки на календарь сроков"

    def __str__(self):
        return f"Календарь сроков: {self.user} ({'отозвана' if self.revoked_at else 'действует'})"


class DeficitReassessment(models.Model):
    """The final diagnostics of one deficit a route addressed (docs/spec/workflow.md, «Final diagnostics»).

    The teacher's results repeat the instrument's statements for the deficit's competency (source «самооценка»)
    or take an imported result dated within the route's period; the reviewer accepting the results may give
    their own score instead (source «оценка заместителя»). On acceptance the score is written to diagnostics
    (`score`) and the deficit becomes «преодолен» when `after` reaches `threshold`, else stays «в работе».
    """

    route = models.ForeignKey(Route, on_delete=models.CASCADE, related_name="reassessments")
    deficit = models.ForeignKey(Deficit, on_delete=models.CASCADE, related_name="reassessments",
                                verbose_name="дефицит")
    instrument = models.ForeignKey(Instrument, on_delete=models.PROTECT, related_name="+",
                                   verbose_name="инструмент")
    before = models.PositiveSmallIntegerField("балл до", null=True, blank=True)
    after = models.PositiveSmallIntegerField("балл после")
    threshold = models.PositiveSmallIntegerField("порог")
    source = models.CharField("источник", max_length=10, choices=Assessment.Source)
    score = models.ForeignKey(Score, on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
                              help_text="Балл итоговой диагностики в диагностике педагога (после приемки итогов).")
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                    related_name="+")
    recorded_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["deficit__competency__group__order", "deficit__competency__order"]
        constraints = [models.UniqueConstraint(fields=["route", "deficit"], name="reassessment_one_per_route_deficit")]
        verbose_name = "итоговая диагностика дефицита"
        verbose_name_plural = "итоговая диагностика дефицитов"

    def __str__(self):
        return f"{self.deficit.competency.name}: {self.before} → {self.after}"

    @property
    def reached(self) -> bool:
        return self.after >= self.threshold


class Reminder(models.Model):
    """«Напомнить» from the implementation monitor (routes/monitor/): one row per recipient and their school's
    day, so a person hears at most one reminder a day however many times the button is pressed."""

    staff = models.ForeignKey(StaffMember, on_delete=models.CASCADE, related_name="reminders", verbose_name="педагог")
    route = models.ForeignKey(Route, on_delete=models.SET_NULL, null=True, blank=True, related_name="reminders",
                              verbose_name="ИОМ")
    sender = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True,
                               related_name="reminders_sent", verbose_name="отправил")
    sent_on = models.DateField("дата (по времени школы)")
    sent_at = models.DateTimeField("отправлено", auto_now_add=True)
    text = models.CharField("текст", max_length=500)

    class Meta:
        ordering = ["-sent_at"]
        constraints = [models.UniqueConstraint(fields=["staff", "sent_on"], name="reminder_one_per_person_per_day")]
        verbose_name = "напоминание"
        verbose_name_plural = "напоминания"

    def __str__(self):
        return f"{self.staff} {self.sent_on:%d.%m.%Y}"


class Escalation(models.Model):
    """One step of the escalation of a route (routes/tasks.py): a review waiting too long, an activity overdue.
    The unique step keeps a step from repeating; the route's history shows the steps."""

    class Step(models.TextChoices):
        REVIEW_REMINDER = "review_reminder", "Повторное напоминание о согласовании"
        REVIEW_ESCALATED = "review_escalated", "Согласование затянулось: сообщено директору и методисту"
        OVERDUE_TEACHER = "overdue_teacher", "Педагогу сообщено о просроченном мероприятии"
        OVERDUE_DEPUTY = "overdue_deputy", "Заместителю сообщено о просроченном мероприятии"
        EXPIRED_METHODIST = "expired_methodist", "Методисту сообщено: срок истек, итогов нет"

    route = models.ForeignKey(Route, on_delete=models.CASCADE, related_name="escalations", verbose_name="ИОМ")
    activity = models.ForeignKey(RoadmapActivity, on_delete=models.CASCADE, null=True, blank=True,
                                 related_name="escalations", verbose_name="мероприятие")
    # A review step belongs to one submission: a route submitted again escalates again.
    submitted_at = models.DateTimeField("отправлен на согласование", null=True, blank=True)
    step = models.CharField("шаг", max_length=20, choices=Step)
    at = models.DateTimeField("когда", auto_now_add=True)
    recipients = models.CharField("кому сообщено", max_length=500, blank=True)

    class Meta:
        ordering = ["at", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["route", "step", "submitted_at"], condition=models.Q(activity__isnull=True),
                                    name="escalation_review_step_once"),
            models.UniqueConstraint(fields=["activity", "step"], condition=models.Q(activity__isnull=False),
                                    name="escalation_activity_step_once"),
        ]
        verbose_name = "шаг эскалации"
        verbose_name_plural = "шаги эскалации"

    def __str__(self):
        return f"{self.get_step_display()} ({self.route_id})"
