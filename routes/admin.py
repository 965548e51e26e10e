from django.contrib import admin
from django.utils import timezone
from import_export import resources
from import_export.admin import ImportExportModelAdmin
from simple_history.admin import SimpleHistoryAdmin

from core.cache import bump_on_commit
from core.logging import log_security_event
from routes.models import (
    ActivityKind,
    CalendarFeed,
    CatalogResource,
    Comment,
    ExpressReview,
    RoadmapActivity,
    Route,
    Transition,
)


class ActivityKindResource(resources.ModelResource):
    """Activity kinds for administrators as a spreadsheet, found by code (the reports count the codes)."""

    class Meta:
        model = ActivityKind
        import_id_fields = ["code"]
        fields = ["code", "name", "order"]
        skip_unchanged = True


@admin.register(ActivityKind)
class ActivityKindAdmin(ImportExportModelAdmin):
    resource_classes = [ActivityKindResource]
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
    # A completion mark is the teacher's, with its evidence and the period check of the service.
    readonly_fields = ["is_done", "done_on"]


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
    # The state and the dates it records change only through a transition of routes.workflow.services,
    # which checks the actor, writes the log and notifies; the admin corrects content, never state.
    readonly_fields = [
        "person", "organisation", "academic_year", "status", "submitted_at", "approved_on", "credited_on",
        "completed_on", "outcome_proposed", "outcome", "version",
    ]

    def has_add_permission(self, request):
        return False  # a route starts as the teacher's draft or comes from an import

    def has_delete_permission(self, request, obj=None):
        # Only a draft may vanish; anything reviewed is withdrawn through the workflow instead.
        return super().has_delete_permission(request, obj) and (obj is None or obj.status == Route.Status.DRAFT)

    def get_actions(self, request):
        actions = super().get_actions(request)
        actions.pop("delete_selected", None)  # bulk deletion would skip the per-route check above
        return actions

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        bump_on_commit(obj.organisation.municipality_id)

    def delete_model(self, request, obj):
        municipality_id = obj.organisation.municipality_id
        super().delete_model(request, obj)
        bump_on_commit(municipality_id)


@admin.register(Comment)
class CommentAdmin(admin.ModelAdmin):
    list_display = ["route", "author", "created_at", "resolved"]
    raw_id_fields = ["route", "activity", "author"]


@admin.register(ExpressReview)
class ExpressReviewAdmin(admin.ModelAdmin):
    list_display = ["route", "reviewer", "created_at"]
    raw_id_fields = ["route", "reviewer"]


@admin.register(CalendarFeed)
class CalendarFeedAdmin(admin.ModelAdmin):
    """Who subscribes to their deadlines, and the revocation of a link that leaked (docs/calendar.md). The
    address itself is never shown here: only its owner sees it, on «Календарь сроков»."""

    list_display = ["user", "created_at", "last_used_at", "revoked_at"]
    list_filter = [("revoked_at", admin.EmptyFieldListFilter)]
    search_fields = ["user__username", "user__last_name", "user__email"]
    fields = ["user", "created_at", "last_used_at", "revoked_at"]
    readonly_fields = fields
    actions = ["revoke"]

    def has_add_permission(self, request):
        return False  # a link is made by its owner, who then sees it

    @admin.action(description="Отозвать выбранные ссылки")
    def revoke(self, request, queryset):
        for feed in queryset.filter(revoked_at__isnull=True):
            feed.revoked_at = timezone.now()
            feed.save(update_fields=["revoked_at"])
            log_security_event("calendar_feed_revoked", request, owner_id=feed.user_id, feed_id=feed.pk)
