from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from methodics.models import (
    Attendance,
    Event,
    HelpActivity,
    HelpDirection,
    HelpPlan,
    MentoringPair,
    ParticipantStep,
    Project,
    ProjectParticipant,
)


class AttendanceInline(admin.TabularInline):
    model = Attendance
    extra = 0
    raw_id_fields = ["person"]
    readonly_fields = ["source", "added_by", "added_at"]


@admin.register(Event)
class EventAdmin(SimpleHistoryAdmin):
    list_display = ["held_on", "title", "kind", "level", "municipality", "organisation"]
    list_filter = ["kind", "level", "municipality"]
    search_fields = ["title"]
    filter_horizontal = ["competencies"]
    inlines = [AttendanceInline]


@admin.register(MentoringPair)
class MentoringPairAdmin(SimpleHistoryAdmin):
    list_display = ["mentee", "mentor", "organisation", "reason", "starts_on", "ends_on"]
    list_filter = ["reason"]
    raw_id_fields = ["mentor", "mentee"]


class HelpDirectionInline(admin.TabularInline):
    model = HelpDirection
    extra = 0


class HelpActivityInline(admin.TabularInline):
    model = HelpActivity
    extra = 0
    fields = ["direction", "stage", "title", "due_on", "timing", "responsible", "is_done", "done_on"]


@admin.register(HelpPlan)
class HelpPlanAdmin(SimpleHistoryAdmin):
    list_display = ["organisation", "academic_year", "title"]
    inlines = [HelpDirectionInline, HelpActivityInline]


class ParticipantInline(admin.TabularInline):
    model = ProjectParticipant
    extra = 0
    raw_id_fields = ["person", "route"]


@admin.register(Project)
class ProjectAdmin(SimpleHistoryAdmin):
    list_display = ["title", "municipality", "starts_on", "ends_on"]
    filter_horizontal = ["organisations", "events"]
    inlines = [ParticipantInline]


@admin.register(ParticipantStep)
class ParticipantStepAdmin(admin.ModelAdmin):
    list_display = ["participant", "step", "done_on", "place"]
