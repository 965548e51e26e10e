from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from schools.models import (
    AccountLinkInvitation,
    Membership,
    Municipality,
    Organisation,
    Region,
    SchoolHoliday,
    StaffMember,
)


@admin.register(Region)
class RegionAdmin(admin.ModelAdmin):
    list_display = ["name", "time_zone"]
    list_filter = ["time_zone"]
    search_fields = ["name"]


@admin.register(Municipality)
class MunicipalityAdmin(admin.ModelAdmin):
    list_display = ["name", "region", "methodical_centre", "credit_mode", "express_review_minimum"]
    list_filter = ["region", "credit_mode"]
    search_fields = ["name"]
    fieldsets = [
        (None, {"fields": ["region", "name", "credit_mode"]}),
        ("Бланк и люди писем", {"fields": list(Municipality.LETTERHEAD_FIELDS)}),
    ]


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    list_display = ["short_name", "kind", "municipality", "order", "young_mentors_allowed"]
    list_filter = ["kind", "municipality", "young_mentors_allowed"]
    search_fields = ["short_name", "name"]
    list_select_related = ["municipality"]


@admin.register(StaffMember)
class StaffMemberAdmin(SimpleHistoryAdmin):
    list_display = ["__str__", "organisation", "position", "position_category", "status", "user"]
    list_filter = ["position_category", "status", "qualification_category", "organisation__municipality"]
    search_fields = ["last_name", "first_name", "email"]
    list_select_related = ["organisation", "user"]
    raw_id_fields = ["user", "organisation"]


@admin.register(Membership)
class MembershipAdmin(SimpleHistoryAdmin):
    list_display = ["user", "role", "organisation", "municipality", "region"]
    list_filter = ["role"]
    search_fields = ["user__username", "user__last_name"]
    raw_id_fields = ["user", "organisation"]
    list_select_related = ["user", "organisation", "municipality", "region"]


@admin.register(AccountLinkInvitation)
class AccountLinkInvitationAdmin(admin.ModelAdmin):
    """Read-only: requests are made by the invitation service and answered only by the account's owner."""

    list_display = ["staff", "user", "role", "created_by", "created_at", "expires_at", "accepted_at", "closed_at"]
    list_filter = ["role"]
    search_fields = ["user__username", "staff__last_name"]
    list_select_related = ["staff", "user", "created_by"]
    readonly_fields = ["token", "staff", "user", "role", "created_by", "created_at", "expires_at", "accepted_at",
                       "closed_at"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(SchoolHoliday)
class SchoolHolidayAdmin(admin.ModelAdmin):
    """Term dates of a region: the school holidays drafted routes keep clear of (schools.calendar)."""

    list_display = ["title", "region", "starts_on", "ends_on"]
    list_filter = ["region"]
    date_hierarchy = "starts_on"
