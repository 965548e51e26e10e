from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from routes.models import ActivityKind, CatalogResource, Comment, ExpressReview, RoadmapActivity, Route, Transition


@admin.register(ActivityKind)
class ActivityKindAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "order"]


@admin.register(CatalogResource)
class CatalogResourceAdmin(admin.ModelAdmin):
    list_display = ["title", "kind", "provider", "hours", "in_federal_registry", "level", "is_active"]
    list_filter = ["kind", "in_federal_registry", "level", "is_active"]
    filter_horizontal = ["competencies"]
    search_fields = ["title", "provider"]


class ActivityInline(admin.TabularInline):
    model = RoadmapActivity
    extra = 0
    fields = ["group", "kind", "title", "deadline", "is_done", "done_on"]


class TransitionInline(admin.TabularInline):
    model = Transition
    extra = 0
    readonly_fields = ["action", "from_status", "to_status", "actor", "at", "comment"]
    can_delete = False


@admin.register(Route)
class RouteAdmin(SimpleHistoryAdmin):
    list_display = ["person", "organisation", "academic_year", "status", "approved_on", "credited_on"]
    list_filter = ["status", "academic_year", "organisation__municipality"]
    search_fields = ["person__last_name", "topic"]
    raw_id_fields = ["person", "organisation"]
    list_select_related = ["person", "organisation"]
    filter_horizontal = ["deficits"]
    inlines = [ActivityInline, TransitionInline]


@admin.register(Comment)
class CommentAdmin(admin.ModelAdmin):
    list_display = ["route", "author", "created_at", "resolved"]
    raw_id_fields = ["route", "activity", "author"]


@admin.register(ExpressReview)
class ExpressReviewAdmin(admin.ModelAdmin):
    list_display = ["route", "reviewer", "created_at"]
    raw_id_fields = ["route", "reviewer"]
