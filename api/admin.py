"""The administrator's tokens: listed with their role, scope and last use; created with the secret shown
once; revoked (never deleted: the list is the record of which systems had access)."""

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.template.response import TemplateResponse

from api import services
from api.forms import TokenCreateForm
from api.models import IntegrationToken
from core.errors import DomainError
from core.forms import apply_validation_error
from schools.access import has_capability


def _grants_roles(user) -> bool:
    """A token makes an account and grants it a role: who grants roles (roles.grant) keeps tokens."""
    return has_capability(user, "roles.grant")


@admin.register(IntegrationToken)
class IntegrationTokenAdmin(admin.ModelAdmin):
    list_display = ["name", "prefix", "scope", "capability_list", "created_by", "created_at", "last_used_at",
                    "expires_at", "state"]
    search_fields = ["name", "prefix"]
    list_select_related = ["account", "created_by"]
    readonly_fields = ["name", "prefix", "account", "scope", "capability_list", "created_by", "created_at",
                       "last_used_at", "expires_at", "revoked_at", "revoked_by", "state"]
    fields = readonly_fields
    actions = ["revoke"]

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related(
            "account__memberships__organisation", "account__memberships__municipality", "account__memberships__region")

    @admin.display(description="роль и область")
    def scope(self, token):
        return "; ".join(f"{m.get_role_display()} ({m.scope_label})" for m in token.account.memberships.all()) or "—"

    @admin.display(description="права")
    def capability_list(self, token):
        return ", ".join(token.capabilities)

    @admin.display(description="состояние")
    def state(self, token):
        return token.state_label

    def has_delete_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False  # the page only shows it; revoking is the list's action

    def has_view_permission(self, request, obj=None):
        return _grants_roles(request.user)

    def has_add_permission(self, request):
        return _grants_roles(request.user)

    def has_module_permission(self, request):
        return _grants_roles(request.user)

    def get_actions(self, request):
        # the revoke action is what changes a token: the same right as creating one
        actions = super().get_actions(request)
        if not self.has_add_permission(request):
            actions.pop("revoke", None)
        return actions

    @admin.action(description="Отозвать выбранные токены")
    def revoke(self, request, queryset):
        revoked = 0
        for token in queryset:
            try:
                services.token_revoke(token=token, actor=request.user, request=request)
            except DomainError as exc:
                self.message_user(request, str(exc), messages.WARNING)
            else:
                revoked += 1
        if revoked:
            self.message_user(request, f"Отозвано токенов: {revoked}. Их учетные записи отключены.", messages.SUCCESS)

    def add_view(self, request, form_url="", extra_context=None):
        if not self.has_add_permission(request):
            raise PermissionDenied
        form = TokenCreateForm(request.POST or None)
        context = {**self.admin_site.each_context(request), "opts": self.model._meta, "form": form,
                   "title": "Новый токен интеграции"}
        if request.method == "POST" and form.is_valid():
            data = form.cleaned_data
            try:
                token, secret = services.token_create(
                    name=data["name"], role=data["role"], capabilities=data["capabilities"],
                    organisation=data["organisation"], municipality=data["municipality"], region=data["region"],
                    expires_at=data["expires_at"], created_by=request.user, request=request)
            except ValidationError as exc:
                apply_validation_error(form, exc)
            else:
                self.log_addition(request, token, [{"added": {}}])
                # Shown in this answer only (no redirect, no message in a cookie): nothing keeps the secret.
                return TemplateResponse(request, "admin/api/integrationtoken/created.html",
                                        {**context, "token": token, "secret": secret,
                                         "title": f"Токен «{token.name}» создан"})
        return TemplateResponse(request, "admin/api/integrationtoken/add.html", context)
