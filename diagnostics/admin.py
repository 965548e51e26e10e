from django.contrib import admin
from import_export import fields, resources, widgets
from import_export.admin import ImportExportModelAdmin

from diagnostics.models import Assessment, Competency, CompetencyGroup, Deficit, Instrument, Score, Statement


class CompetencyResource(resources.ModelResource):
    """The competency framework as a spreadsheet for administrators: rows are found by code, the group
    by its code, so a region can move its framework between portals or correct it in Excel."""

    group = fields.Field(attribute="group", column_name="group",
                         widget=widgets.ForeignKeyWidget(CompetencyGroup, field="code"))

    class Meta:
        model = Competency
        import_id_fields = ["code"]
        fields = ["code", "name", "description", "group", "order"]
        skip_unchanged = True
        report_skipped = False


@admin.register(CompetencyGroup)
class CompetencyGroupAdmin(admin.ModelAdmin):
    list_display = ["name", "code", "order", "in_roadmap", "roadmap_section"]
    list_editable = ["order"]


@admin.register(Competency)
class CompetencyAdmin(ImportExportModelAdmin):
    resource_classes = [CompetencyResource]
    list_display = ["code", "name", "group", "order"]
    list_filter = ["group"]
    search_fields = ["code", "name", "description"]


class StatementInline(admin.TabularInline):
    model = Statement
    extra = 0


@admin.register(Instrument)
class InstrumentAdmin(admin.ModelAdmin):
    list_display = ["name", "method", "is_external", "validity_min", "validity_max", "threshold", "is_active"]
    list_filter = ["method", "is_external", "is_self_assessment", "is_active"]
    search_fields = ["name"]
    filter_horizontal = ["competencies"]
    inlines = [StatementInline]


class ScoreInline(admin.TabularInline):
    model = Score
    extra = 0


@admin.register(Assessment)
class AssessmentAdmin(admin.ModelAdmin):
    list_display = ["person", "instrument", "taken_on", "source"]
    list_select_related = ["person", "instrument"]
    raw_id_fields = ["person", "recorded_by"]
    inlines = [ScoreInline]


@admin.register(Deficit)
class DeficitAdmin(admin.ModelAdmin):
    list_display = ["person", "competency", "status", "detected_on", "closed_on"]
    # A deficit's state follows its scores and routes (diagnostics.services): the admin reads it.
    readonly_fields = ["status", "closed_on", "closed_by", "closed_by_score", "dismissal_reason"]
    list_filter = ["status", "competency__group"]
    raw_id_fields = ["person", "source_score", "added_by", "closed_by", "closed_by_score"]
    list_select_related = ["person", "competency"]
