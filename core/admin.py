from django.contrib import admin, messages

from core.models import Notification, OutgoingEmail
from core.services import resend_emails


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    list_display = ["recipient", "text", "created_at", "read_at"]
    list_select_related = ["recipient"]
    search_fields = ["text", "recipient__username"]


@admin.register(OutgoingEmail)
class OutgoingEmailAdmin(admin.ModelAdmin):
    """The outbox: what was sent, what waits, and what the mail server refused to the last attempt.

    The text is not shown: it may hold a link that sets somebody's password.
    """

    list_display = ["created_at", "kind", "to", "subject", "status", "attempts", "next_attempt_at", "last_error"]
    list_filter = ["status", "kind"]
    search_fields = ["to", "subject"]
    date_hierarchy = "created_at"
    fields = ["kind", "to", "subject", "status", "attempts", "next_attempt_at", "last_error", "created_at", "sent_at"]
    readonly_fields = fields
    actions = ["send_again"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    @admin.action(description="Отправить снова")
    def send_again(self, request, queryset):
        count = resend_emails(emails=queryset)
        skipped = queryset.count() - count
        message = f"Писем поставлено в очередь на отправку: {count}."
        if skipped:
            message += f" Уже отправленные ({skipped}) не отправляются повторно."
        self.message_user(request, message, messages.SUCCESS)
