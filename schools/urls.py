from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.urls import include, path
from django.views.generic import TemplateView

from schools import views
from schools.auth_forms import PortalAuthenticationForm, PortalPasswordResetForm

public = login_not_required

urlpatterns = [
    # accounts
    path("accounts/login/", public(auth_views.LoginView.as_view(
        authentication_form=PortalAuthenticationForm, redirect_authenticated_user=True)), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("accounts/password/change/", auth_views.PasswordChangeView.as_view(), name="password_change"),
    path("accounts/password/change/done/", auth_views.PasswordChangeDoneView.as_view(), name="password_change_done"),
    path("accounts/password/reset/", public(auth_views.PasswordResetView.as_view(
        form_class=PortalPasswordResetForm)), name="password_reset"),
    path("accounts/password/reset/done/", public(auth_views.PasswordResetDoneView.as_view()), name="password_reset_done"),
    path("accounts/reset/<uidb64>/<token>/", public(auth_views.PasswordResetConfirmView.as_view()),
         name="password_reset_confirm"),
    path("accounts/reset/done/", public(auth_views.PasswordResetCompleteView.as_view()), name="password_reset_complete"),
    # Before invitation_accept, which would take "link" for a uidb64. Under /invitation/ the
    # security log masks the token (core.logging.redact_path).
    path("accounts/invitation/link/<uuid:token>/", views.account_link_accept, name="account_link_accept"),
    path("accounts/invitation/<uidb64>/<token>/", views.InvitationAcceptView.as_view(), name="invitation_accept"),
    path("accounts/invitation/done/", TemplateView.as_view(template_name="registration/invitation_done.html"),
         name="invitation_done"),
    path("accounts/sso/", include("schools.sso.urls")),  # single sign-on (docs/sso.md)
    # the municipality's letterhead (reports.letters)
    path("municipalities/<int:pk>/letterhead/", views.municipality_letterhead, name="municipality_letterhead"),
    # organisations and staff
    path("organisations/", views.organisation_list, name="organisation_list"),
    path("organisations/<int:pk>/", views.organisation_detail, name="organisation_detail"),
    path("organisations/<int:organisation_pk>/staff/new/", views.staff_create, name="staff_create"),
    path("staff/<int:pk>/", views.staff_detail, name="staff_detail"),
    path("staff/<int:pk>/edit/", views.staff_edit, name="staff_edit"),
    path("staff/<int:pk>/dismiss/", views.staff_dismiss, name="staff_dismiss"),
    path("staff/<int:pk>/invite/", views.staff_invite, name="staff_invite"),
]
