"""What the read endpoints show of each record: English field names, machine values (codes, ISO dates).

Staff records show what the organisation's staff list of the portal shows (name, position, subject,
category, status, whether the person has an account, the mentor of the person's open mentoring pair) and the
attestation and
experience of the staff card; not the birth date, e-mail or education: an integration that
needs those gets the staff export of the portal, which the security log records.
"""

from rest_framework import serializers

from diagnostics.models import Competency, Deficit
from routes.models import RoadmapActivity, Route, Transition
from schools.models import Municipality, Organisation, Region, StaffMember


class RegionRefSerializer(serializers.ModelSerializer):
    class Meta:
        model = Region
        fields = ["id", "name"]


class MunicipalityRefSerializer(serializers.ModelSerializer):
    class Meta:
        model = Municipality
        fields = ["id", "name"]


class OrganisationSerializer(serializers.ModelSerializer):
    municipality = MunicipalityRefSerializer(read_only=True)
    region = RegionRefSerializer(source="municipality.region", read_only=True)
    staff_count = serializers.IntegerField(read_only=True, help_text="Работающие сотрудники.")
    account_count = serializers.IntegerField(read_only=True, help_text="Из них с учетной записью портала.")

    class Meta:
        model = Organisation
        fields = ["id", "name", "short_name", "kind", "municipality", "region", "staff_count", "account_count"]


class PersonRefSerializer(serializers.ModelSerializer):
    full_name = serializers.CharField(read_only=True)

    class Meta:
        model = StaffMember
        fields = ["id", "full_name"]


class StaffSerializer(serializers.ModelSerializer):
    has_account = serializers.SerializerMethodField(help_text="Есть действующая учетная запись портала.")
    # Declared: DRF takes a PositiveSmallIntegerField's bounds from the database backend (SQLite says
    # 64 bits, PostgreSQL 16), and the checked-in schema must not depend on where it was generated.
    experience_years = serializers.IntegerField(read_only=True, allow_null=True, min_value=0, max_value=32767,
                                                label="Педагогический стаж, лет")
    # The one record of mentoring is methodics.MentoringPair: the mentor of the person's open pair begun by today
    # (schools.selectors.with_current_mentor), the same as the organisation's staff list shows.
    mentor = serializers.IntegerField(source="current_mentor_id", read_only=True, allow_null=True,
                                      label="Наставник",
                                      help_text="Сотрудник-наставник по действующей наставнической паре (id) или null.")

    class Meta:
        model = StaffMember
        fields = ["id", "organisation", "last_name", "first_name", "middle_name", "position", "position_category",
                  "subject", "is_main_position", "status", "dismissed_on", "qualification_category", "attested_on",
                  "experience_years", "has_account", "mentor"]

    def get_has_account(self, staff) -> bool:
        return staff.user is not None and staff.user.is_active


class ActivitySerializer(serializers.ModelSerializer):
    group = serializers.SlugRelatedField(slug_field="code", read_only=True, help_text="Направление (код группы).")
    kind = serializers.SlugRelatedField(slug_field="code", read_only=True, help_text="Вид мероприятия (код).")

    class Meta:
        model = RoadmapActivity
        fields = ["id", "group", "kind", "level", "title", "deadline", "expected_result", "confirming_document",
                  "is_done", "done_on"]


class TransitionSerializer(serializers.ModelSerializer):
    action_label = serializers.CharField(read_only=True)

    class Meta:
        model = Transition
        fields = ["action", "action_label", "from_status", "to_status", "at"]


class RouteSerializer(serializers.ModelSerializer):
    person = PersonRefSerializer(read_only=True)
    municipality = serializers.IntegerField(source="organisation.municipality_id", read_only=True)
    status_label = serializers.CharField(source="get_status_display", read_only=True)
    deficits = serializers.PrimaryKeyRelatedField(many=True, read_only=True)
    activities = ActivitySerializer(many=True, read_only=True)
    transitions = TransitionSerializer(many=True, read_only=True)

    class Meta:
        model = Route
        fields = ["id", "person", "organisation", "municipality", "academic_year", "status", "status_label", "topic",
                  "starts_on", "ends_on", "submitted_at", "approved_on", "credited_on", "completed_on", "outcome",
                  "imported_at", "deficits", "activities", "transitions"]


class CompetencySerializer(serializers.ModelSerializer):
    group = serializers.SlugRelatedField(slug_field="code", read_only=True)

    class Meta:
        model = Competency
        fields = ["code", "name", "group"]


class DeficitSerializer(serializers.ModelSerializer):
    person = PersonRefSerializer(read_only=True)
    organisation = serializers.IntegerField(source="person.organisation_id", read_only=True)
    competency = CompetencySerializer(read_only=True)
    added_manually = serializers.SerializerMethodField(help_text="Добавлен вручную, а не по результату диагностики.")
    first_value = serializers.IntegerField(read_only=True, allow_null=True,
                                           help_text="Первый балл по компетенции (до работы над дефицитом).")
    first_on = serializers.DateField(read_only=True, allow_null=True)
    latest_value = serializers.IntegerField(read_only=True, allow_null=True, help_text="Последний балл.")
    latest_on = serializers.DateField(read_only=True, allow_null=True)

    class Meta:
        model = Deficit
        fields = ["id", "person", "organisation", "competency", "status", "detected_on", "closed_on",
                  "added_manually", "first_value", "first_on", "latest_value", "latest_on"]

    def get_added_manually(self, deficit) -> bool:
        return deficit.source_score_id is None


class ErrorSerializer(serializers.Serializer):
    """Every refusal: 401, 403, 404, 429 (and 400 where no field is to blame)."""

    detail = serializers.CharField(help_text="Сообщение по-русски.")


class ImportErrorSerializer(serializers.Serializer):
    row = serializers.IntegerField(help_text="Строка файла; заголовок — строка 1.")
    column = serializers.CharField(help_text="Заголовок столбца (или «файл»).")
    message = serializers.CharField()


class ImportCountsSerializer(serializers.Serializer):
    new = serializers.IntegerField()
    update = serializers.IntegerField()
    unchanged = serializers.IntegerField()
    error = serializers.IntegerField()


class ImportResultSerializer(serializers.Serializer):
    detail = serializers.CharField()
    kind = serializers.CharField()
    filename = serializers.CharField()
    dry_run = serializers.BooleanField()
    valid = serializers.BooleanField(help_text="В файле нет ни одной ошибки.")
    written = serializers.BooleanField(help_text="Записано в портал (только при valid и без dry_run).")
    counts = ImportCountsSerializer()
    errors = ImportErrorSerializer(many=True, help_text="Все ошибки файла, не больше 5 000.")
    error_count = serializers.IntegerField()


class ImportUploadSerializer(serializers.Serializer):
    file = serializers.FileField(help_text="Первый лист .xlsx или .csv (UTF-8 или cp1251, «;» или «,»), до 20 МБ.")
    dry_run = serializers.BooleanField(default=False, help_text="Только проверить: ничего не записывать.")


class ImportJobSerializer(serializers.Serializer):
    id = serializers.UUIDField()
    kind = serializers.CharField()
    filename = serializers.CharField()
    dry_run = serializers.BooleanField(help_text="Проверка без записи.")
    status = serializers.ChoiceField(choices=["queued", "running", "done", "failed"])
    stage = serializers.ChoiceField(choices=["reading", "checking", "writing"])
    rows_done = serializers.IntegerField()
    rows_total = serializers.IntegerField()
    progress = serializers.CharField(help_text="«Обработано N из M строк».")
    detail = serializers.CharField(help_text="Что с файлом, по-русски.")
    written = serializers.BooleanField()
    counts = ImportCountsSerializer(allow_null=True)
    errors = ImportErrorSerializer(many=True)
    error_count = serializers.IntegerField()
    created_at = serializers.DateTimeField()
    finished_at = serializers.DateTimeField(allow_null=True)


class ImportColumnSerializer(serializers.Serializer):
    title = serializers.CharField()
    required = serializers.BooleanField()
    description = serializers.CharField()


class ImportKindSerializer(serializers.Serializer):
    code = serializers.CharField()
    title = serializers.CharField()
    capability = serializers.CharField()
    description = serializers.CharField()
    columns = ImportColumnSerializer(many=True)


class FigureInfoSerializer(serializers.Serializer):
    code = serializers.CharField()
    title = serializers.CharField()
    description = serializers.CharField()
    period = serializers.ChoiceField(choices=["year", "today"],
                                     help_text="year: за учебный год (параметр year); today: на сегодня.")


class FigureValueSerializer(serializers.Serializer):
    code = serializers.CharField()
    label = serializers.CharField()
    count = serializers.IntegerField()
    base = serializers.IntegerField(allow_null=True, help_text="Знаменатель доли (null, если доли нет).")
    percent = serializers.DecimalField(max_digits=5, decimal_places=1, allow_null=True,
                                       help_text="count ÷ base × 100, одна цифра после запятой.")


class FigureScopeSerializer(serializers.Serializer):
    region = serializers.IntegerField(allow_null=True)
    municipality = serializers.IntegerField(allow_null=True)
    organisation = serializers.IntegerField(allow_null=True)


class FigureSerializer(serializers.Serializer):
    code = serializers.CharField()
    title = serializers.CharField()
    year = serializers.CharField(allow_null=True)
    on = serializers.DateField(allow_null=True, help_text="Дата, на которую посчитано (для period=today).")
    scope = FigureScopeSerializer()
    values = FigureValueSerializer(many=True)
