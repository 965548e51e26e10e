import datetime as dt
import uuid

from django.conf import settings
from django.core.validators import MaxValueValidator
from django.db import models
from simple_history.models import HistoricalRecords


class TimeZone(models.TextChoices):
    """Russia's time zones (IANA names), west to east; a region keeps one (schools.timezones)."""

    KALININGRAD = "Europe/Kaliningrad", "Калининград (МСК−1, UTC+2)"
    MOSCOW = "Europe/Moscow", "Москва (МСК, UTC+3)"
    SIMFEROPOL = "Europe/Simferopol", "Симферополь (МСК, UTC+3)"
    VOLGOGRAD = "Europe/Volgograd", "Волгоград (МСК, UTC+3)"
    KIROV = "Europe/Kirov", "Киров (МСК, UTC+3)"
    SAMARA = "Europe/Samara", "Самара (МСК+1, UTC+4)"
    ASTRAKHAN = "Europe/Astrakhan", "Астрахань (МСК+1, UTC+4)"
    SARATOV = "Europe/Saratov", "Саратов (МСК+1, UTC+4)"
    ULYANOVSK = "Europe/Ulyanovsk", "Ульяновск (МСК+1, UTC+4)"
    YEKATERINBURG = "Asia/Yekaterinburg", "Екатеринбург (МСК+2, UTC+5)"
    OMSK = "Asia/Omsk", "Омск (МСК+3, UTC+6)"
    NOVOSIBIRSK = "Asia/Novosibirsk", "Новосибирск (МСК+4, UTC+7)"
    BARNAUL = "Asia/Barnaul", "Барнаул (МСК+4, UTC+7)"
    TOMSK = "Asia/Tomsk", "Томск (МСК+4, UTC+7)"
    NOVOKUZNETSK = "Asia/Novokuznetsk", "Новокузнецк (МСК+4, UTC+7)"
    KRASNOYARSK = "Asia/Krasnoyarsk", "Красноярск (МСК+4, UTC+7)"
    IRKUTSK = "Asia/Irkutsk", "Иркутск (МСК+5, UTC+8)"
    CHITA = "Asia/Chita", "Чита (МСК+6, UTC+9)"
    YAKUTSK = "Asia/Yakutsk", "Якутск (МСК+6, UTC+9)"
    KHANDYGA = "Asia/Khandyga", "Хандыга (МСК+6, UTC+9)"
    VLADIVOSTOK = "Asia/Vladivostok", "Владивосток (МСК+7, UTC+10)"
    UST_NERA = "Asia/Ust-Nera", "Усть-Нера (МСК+7, UTC+10)"
    MAGADAN = "Asia/Magadan", "Магадан (МСК+8, UTC+11)"
    SAKHALIN = "Asia/Sakhalin", "Сахалин (МСК+8, UTC+11)"
    SREDNEKOLYMSK = "Asia/Srednekolymsk", "Среднеколымск (МСК+8, UTC+11)"
    KAMCHATKA = "Asia/Kamchatka", "Камчатка (МСК+9, UTC+12)"
    ANADYR = "Asia/Anadyr", "Анадырь (МСК+9, UTC+12)"


def default_time_zone() -> str:
    """The project's TIME_ZONE (settings), where it is one of Russia's; else Moscow time."""
    return settings.TIME_ZONE if settings.TIME_ZONE in TimeZone.values else TimeZone.MOSCOW


class Region(models.Model):
    name = models.CharField("название", max_length=200, unique=True)
    # Pages, e-mails and documents show times in it, and a route's "today" is its date (schools.timezones).
    time_zone = models.CharField("часовой пояс", max_length=40, choices=TimeZone, default=default_time_zone)

    class Meta:
        ordering = ["name"]
        verbose_name = "регион"
        verbose_name_plural = "регионы"

    def __str__(self):
        return self.name


class Municipality(models.Model):
    class CreditMode(models.TextChoices):
        REGIONAL = "regional", "Зачет ставит региональный методист"
        MUNICIPAL = "municipal", "Зачет ставит муниципальный методист"
        NONE = "none", "Зачет не требуется"

    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="municipalities", verbose_name="регион")
    name = models.CharField("название", max_length=200)
    methodical_centre = models.CharField("методический центр", max_length=300, blank=True,
                                         help_text="Полное наименование, как на бланке письма.")
    credit_mode = models.CharField("зачет ИОМ", max_length=10, choices=CreditMode, default=CreditMode.REGIONAL)
    # The letterhead and the people of the municipality's letters (reports.letters): edited on the
    # municipality's settings page (schools.views.municipality_letterhead) and in the admin.
    centre_short_name = models.CharField("краткое наименование центра", max_length=100, blank=True,
                                         help_text="Например: ММЦ или «Центр»; так центр назван в подписи.")
    centre_address = models.CharField("адрес центра", max_length=300, blank=True)
    centre_phone = models.CharField("телефон центра", max_length=50, blank=True)
    centre_email = models.EmailField("e-mail центра", blank=True)
    head_name = models.CharField("руководитель центра (ФИО)", max_length=200, blank=True,
                                 help_text="Полностью: Мартынова Ольга Викторовна.")
    head_position = models.CharField("должность руководителя центра", max_length=200, blank=True,
                                     help_text="Так, как в подписи: Директор Центра.")
    executor_name = models.CharField("исполнитель (ФИО)", max_length=200, blank=True)
    executor_phone = models.CharField("телефон исполнителя", max_length=50, blank=True)
    addressee_position = models.CharField(
        "должность адресата писем", max_length=300, blank=True,
        help_text="В именительном падеже: Начальник управления образования администрации города Минусинска.")
    addressee_name = models.CharField("адресат писем (ФИО)", max_length=200, blank=True,
                                      help_text="Полностью: Мирчук Тамара Владимировна.")
    # The express review's sum (0–10) below which a reviewer approves an ИОМ only with a comment
    # (routes.workflow.services.route_approve); 0: no minimum, a 0 on «concrete competency» still needs one.
    express_review_minimum = models.PositiveSmallIntegerField(
        "минимум экспресс-экспертизы", default=6, validators=[MaxValueValidator(10)],
        help_text="Сумма баллов (из 10), ниже которой ИОМ согласуют только с комментарием; 0 — без минимума.")

    class Meta:
        ordering = ["name"]
        constraints = [models.UniqueConstraint(fields=["region", "name"], name="municipality_unique_in_region")]
        verbose_name = "муниципалитет"
        verbose_name_plural = "муниципалитеты"

    def __str__(self):
        return self.name

    @property
    def requires_credit(self) -> bool:
        return self.credit_mode != self.CreditMode.NONE

    LETTERHEAD_FIELDS = ("methodical_centre", "centre_short_name", "centre_address", "centre_phone", "centre_email",
                         "head_name", "head_position", "executor_name", "executor_phone",
                         "addressee_position", "addressee_name")
    # What a letter cannot be signed and sent without (the others are printed when present).
    LETTERHEAD_REQUIRED = ("methodical_centre", "head_name", "head_position", "addressee_position", "addressee_name")

    @property
    def letterhead_missing(self) -> list[str]:
        """The verbose names of the letterhead's required fields left empty."""
        return [str(self._meta.get_field(f).verbose_name) for f in self.LETTERHEAD_REQUIRED if not getattr(self, f)]


class Organisation(models.Model):
    class Kind(models.TextChoices):
        SOSH = "СОШ", "СОШ"
        OOSH = "ООШ", "ООШ"
        LYCEUM = "Лицей", "Лицей"
        GYMNASIUM = "Гимназия", "Гимназия"
        DOO = "ДОО", "ДОО"
        UDO = "УДО", "УДО"
        OTHER = "Иное", "Иное"

    SCHOOL_KINDS = (Kind.SOSH, Kind.OOSH, Kind.LYCEUM, Kind.GYMNASIUM)
    # In ДОО and УДО educators count as teachers (docs/spec/reports.md, "Staff base").
    EDUCATOR_KINDS = (Kind.DOO, Kind.UDO)

    municipality = models.ForeignKey(
        Municipality, on_delete=models.PROTECT, related_name="organisations", verbose_name="муниципалитет"
    )
    name = models.CharField("полное наименование", max_length=500)
    short_name = models.CharField("краткое наименование", max_length=200)
    kind = models.CharField("тип", max_length=10, choices=Kind)
    order = models.PositiveIntegerField("порядок в списке", default=0)
    # The school's explicit exception to the mentoring rule (methodics.mentoring.services.pair_start).
    young_mentors_allowed = models.BooleanField(
        "Разрешить молодым специалистам быть наставниками", default=False,
        help_text="Без этой отметки наставником не может быть молодой специалист (моложе 35 лет и со стажем "
                  "меньше 3 лет).",
    )

    class Meta:
        ordering = ["municipality", "order", "short_name"]
        constraints = [
            models.UniqueConstraint(fields=["municipality", "short_name"], name="organisation_short_name_unique")
        ]
        verbose_name = "образовательная организация"
        verbose_name_plural = "образовательные организации"

    def __str__(self):
        return self.short_name


class PositionCategory(models.TextChoices):
    TEACHER = "teacher", "Педагог"
    DEPUTY = "deputy", "Заместитель директора"
    DIRECTOR = "director", "Директор"
    EDUCATOR = "educator", "Воспитатель"


def position_category_of(position: str) -> str:
    """Derive the category from the free-text position (docs/spec/import-formats.md, staff)."""
    text = " ".join(position.lower().replace("ё", "е").split())
    if text.startswith("заместитель директора") or text.startswith("заместитель руководителя") or "завуч" in text:
        return PositionCategory.DEPUTY
    if text.startswith("директор") or text.startswith("руководитель") or text == "заведующий":
        return PositionCategory.DIRECTOR
    if text in {"воспитатель", "старший воспитатель"}:
        return PositionCategory.EDUCATOR
    return PositionCategory.TEACHER


class StaffMember(models.Model):
    class Status(models.TextChoices):
        WORKING = "working", "работает"
        MATERNITY = "maternity", "декретный отпуск"
        DISMISSED = "dismissed", "уволен"

    class Category(models.TextChoices):
        NONE = "none", "без категории"
        CONFORMITY = "conformity", "соответствие занимаемой должности"
        FIRST = "first", "первая"
        HIGHEST = "highest", "высшая"
        METHODIST = "methodist", "педагог-методист"
        MENTOR = "mentor", "педагог-наставник"

    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="staff", verbose_name="организация"
    )
    last_name = models.CharField("фамилия", max_length=100)
    first_name = models.CharField("имя", max_length=100)
    middle_name = models.CharField("отчество", max_length=100, blank=True)
    birth_date = models.DateField("дата рождения", null=True, blank=True)
    position = models.CharField("должность", max_length=200)
    position_category = models.CharField("категория должности", max_length=10, choices=PositionCategory, editable=False)
    subject = models.CharField("предмет", max_length=200, blank=True)
    is_main_position = models.BooleanField("основная должность", default=True)
    status = models.CharField("статус", max_length=10, choices=Status, default=Status.WORKING)
    dismissed_on = models.DateField("дата увольнения", null=True, blank=True)
    qualification_category = models.CharField(
        "квалификационная категория", max_length=12, choices=Category, default=Category.NONE
    )
    attested_on = models.DateField("дата аттестации", null=True, blank=True)
    experience_years = models.PositiveSmallIntegerField("педагогический стаж, лет", null=True, blank=True)
    education = models.CharField("образование", max_length=500, blank=True)
    email = models.EmailField("e-mail", blank=True)
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="staff_member",
        verbose_name="учетная запись",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["last_name", "first_name", "middle_name"]
        indexes = [
            models.Index(fields=["organisation", "status", "position_category"]),
            models.Index(fields=["last_name", "first_name"]),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["email"], condition=~models.Q(email=""), name="staff_email_unique_when_present"
            ),
        ]
        verbose_name = "педагогический работник"
        verbose_name_plural = "педагогические работники"

    def __str__(self):
        return self.full_name

    def save(self, *args, **kwargs):
        # A stored derivation, so reports can filter on it in SQL; it is not business logic.
        self.position_category = position_category_of(self.position)
        if kwargs.get("update_fields") is not None and "position" in kwargs["update_fields"]:
            kwargs["update_fields"] = {*kwargs["update_fields"], "position_category"}
        super().save(*args, **kwargs)

    @property
    def full_name(self) -> str:
        return " ".join(p for p in (self.last_name, self.first_name, self.middle_name) if p)

    @property
    def short_name(self) -> str:
        initials = "".join(f"{p[0]}." for p in (self.first_name, self.middle_name) if p)
        return f"{self.last_name} {initials}".strip()

    @property
    def is_young_specialist(self) -> bool:
        """Today, by the one rule of schools.selectors.is_young_specialist (under 35 AND under three years)."""
        from schools.selectors import is_young_specialist

        return is_young_specialist(self)


class Membership(models.Model):
    """A role held by a user over a scope: an organisation, a municipality, a region, or everything."""

    class Role(models.TextChoices):
        TEACHER = "teacher", "Педагог"
        DEPUTY = "deputy", "Заместитель директора"
        DIRECTOR = "director", "Директор"
        MUNICIPAL_METHODIST = "municipal_methodist", "Методист ММЦ"
        REGIONAL_METHODIST = "regional_methodist", "Региональный методист"
        ADMIN = "admin", "Администратор"

    SCOPE_OF_ROLE = {
        Role.TEACHER: "organisation",
        Role.DEPUTY: "organisation",
        Role.DIRECTOR: "organisation",
        Role.MUNICIPAL_METHODIST: "municipality",
        Role.REGIONAL_METHODIST: "region",
        Role.ADMIN: None,
    }

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField("роль", max_length=20, choices=Role)
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, null=True, blank=True)
    municipality = models.ForeignKey(Municipality, on_delete=models.CASCADE, null=True, blank=True)
    region = models.ForeignKey(Region, on_delete=models.CASCADE, null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["user", "role", "organisation", "municipality", "region"], name="membership_unique",
                nulls_distinct=False,
            ),
        ]
        verbose_name = "роль пользователя"
        verbose_name_plural = "роли пользователей"

    def __str__(self):
        return f"{self.user} — {self.get_role_display()} ({self.scope_label})"

    @property
    def scope_label(self) -> str:
        return str(self.organisation or self.municipality or self.region or "все")

    def clean(self):
        from django.core.exceptions import ValidationError

        expected = self.SCOPE_OF_ROLE[self.role]
        given = {
            "organisation": self.organisation_id,
            "municipality": self.municipality_id,
            "region": self.region_id,
        }
        if expected is None and any(given.values()):
            raise ValidationError("У администратора нет области действия: оставьте поля пустыми.")
        if expected is not None and (not given[expected] or sum(bool(v) for v in given.values()) != 1):
            labels = {"organisation": "организацию", "municipality": "муниципалитет", "region": "регион"}
            raise ValidationError(f"Для этой роли укажите только {labels[expected]}.")


class AccountLinkInvitation(models.Model):
    """A request to the owner of an existing account to join a staff record and take its roles.

    Staff managers never change an account they do not own (one with roles elsewhere, or an
    administrator's): they may only ask. The owner, signed in as exactly this account, accepts
    or declines (schools.services.account_link_accept / account_link_decline).
    """

    VALID_FOR = dt.timedelta(days=14)

    token = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    staff = models.ForeignKey(
        StaffMember, on_delete=models.CASCADE, related_name="link_invitations", verbose_name="сотрудник"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="link_invitations",
        verbose_name="учетная запись",
    )
    role = models.CharField("роль", max_length=20, choices=Membership.Role)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
        verbose_name="кто пригласил",
    )
    created_at = models.DateTimeField("создано", auto_now_add=True)
    expires_at = models.DateTimeField("действует до")
    accepted_at = models.DateTimeField("принято", null=True, blank=True)
    closed_at = models.DateTimeField("отклонено или отменено", null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["staff"], condition=models.Q(accepted_at__isnull=True, closed_at__isnull=True),
                name="one_open_link_invitation_per_staff",
            ),
        ]
        verbose_name = "приглашение связать учетную запись"
        verbose_name_plural = "приглашения связать учетную запись"

    def __str__(self):
        return f"{self.staff} → {self.user}"

    def state_at(self, now: dt.datetime) -> str:
        """"pending" (may be answered), "accepted", "closed" (declined or cancelled) or "expired"."""
        if self.accepted_at is not None:
            return "accepted"
        if self.closed_at is not None:
            return "closed"
        return "pending" if self.expires_at > now else "expired"


class SchoolHoliday(models.Model):
    """The academic calendar of a region: one span of school holidays (autumn, winter, spring, summer…),
    set by the administrator in the admin. With Russia's public holidays (the `holidays` package) it is
    the days a drafted route's deadlines never fall on (schools.calendar)."""

    region = models.ForeignKey(Region, on_delete=models.CASCADE, related_name="school_holidays",
                               verbose_name="регион")
    title = models.CharField("название", max_length=100, help_text="Например: «Осенние каникулы»")
    starts_on = models.DateField("первый день")
    ends_on = models.DateField("последний день")

    class Meta:
        ordering = ["region", "starts_on"]
        verbose_name = "каникулы"
        verbose_name_plural = "учебный календарь: каникулы"
        constraints = [models.CheckConstraint(condition=models.Q(ends_on__gte=models.F("starts_on")),
                                              name="school_holiday_ends_after_start")]

    def __str__(self):
        return f"{self.title}: {self.starts_on:%d.%m.%Y}–{self.ends_on:%d.%m.%Y}"
