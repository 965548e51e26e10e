import datetime as dt

from django.urls import reverse
from django.utils import timezone

from schools.models import AccountLinkInvitation, Municipality, StaffMember
from tests.matrix import Case, everyone

# Roles that see organisations and staff in their scope.
SEERS = dict(deputy=200, director=200, municipal_methodist=200, regional_methodist=200, admin=200)


def staff_url(name, attr):
    return lambda w: reverse(name, args=[getattr(w, attr).pk])


def link_invitation_url(w):
    """The deputy asked the municipal methodist's account to join a colleague's staff record."""
    invitation = w.obj("link_invitation", lambda w: AccountLinkInvitation.objects.create(
        staff=w.colleague, user=w.user("municipal_methodist"), role="teacher", created_by=w.user("deputy"),
        expires_at=timezone.now() + dt.timedelta(days=14)))
    return reverse("account_link_accept", args=[invitation.token])


def invite_url(attr):
    """The invitation of a World's staff member, given an e-mail first (without one the service refuses)."""
    def build(w):
        staff = getattr(w, attr)
        staff.email = f"{attr}@example.org"
        staff.save(update_fields=["email"])
        return staff

    return lambda w: reverse("staff_invite", args=[w.obj(f"invitee_{attr}", build).pk])


CASES = [
    # accounts (public pages answer 200 to everyone; logged-in users are sent home from login)
    Case("login", lambda w: reverse("login"), everyone(302, anonymous=200), public=True),
    Case("logout", lambda w: reverse("logout"), everyone(302, anonymous=302), method="post", public=True,
         noop="logging out ends the session, and sessions are not watched"),
    Case("password_change", lambda w: reverse("password_change"), everyone(200)),
    Case("password_change_done", lambda w: reverse("password_change_done"), everyone(200)),
    Case("password_reset", lambda w: reverse("password_reset"), everyone(200, anonymous=200), public=True),
    Case("password_reset_done", lambda w: reverse("password_reset_done"), everyone(200, anonymous=200), public=True),
    Case("password_reset_confirm", lambda w: reverse("password_reset_confirm", args=["MQ", "bad-token"]),
         everyone(200, anonymous=200), public=True),
    Case("password_reset_complete", lambda w: reverse("password_reset_complete"), everyone(200, anonymous=200),
         public=True),
    Case("invitation_accept", lambda w: reverse("invitation_accept", args=["MQ", "bad-token"]),
         everyone(200, anonymous=200), public=True),
    Case("invitation_done", lambda w: reverse("invitation_done"), everyone(200)),
    # single sign-on through OpenID Connect (docs/sso.md): not configured in the matrix, so not found for anybody
    Case("sso_oidc_start", lambda w: reverse("sso_oidc_start"), everyone(404, anonymous=404), public=True),
    Case("sso_oidc_callback", lambda w: reverse("sso_oidc_callback"), everyone(404, anonymous=404), public=True),
    # only the invited account itself sees and answers a request to link it; others learn nothing from it
    Case("account_link_accept", link_invitation_url, everyone(403, municipal_methodist=200)),
    Case("account_link_accept", link_invitation_url, everyone(403, municipal_methodist=302), method="post",
         data=lambda w: {"decision": "decline"}, label="answer"),
    # the municipality's letterhead: its methodist, the regional methodist of its region, the administrator
    Case("municipality_letterhead", lambda w: reverse("municipality_letterhead", args=[w.municipality.pk]),
         everyone(403, municipal_methodist=200, regional_methodist=200, admin=200)),
    Case("municipality_letterhead", lambda w: reverse("municipality_letterhead", args=[w.other_municipality.pk]),
         everyone(403, municipal_methodist=404, regional_methodist=200, admin=200), label="other_municipality"),
    Case("municipality_letterhead", lambda w: reverse("municipality_letterhead", args=[w.far_municipality.pk]),
         everyone(403, municipal_methodist=404, regional_methodist=404, admin=200), label="other_region"),
    Case("municipality_letterhead", lambda w: reverse("municipality_letterhead", args=[w.municipality.pk]),
         everyone(403, municipal_methodist=302, regional_methodist=302, admin=302), label="save", method="post",
         data=lambda w: {"methodical_centre": "МКУ «Центр»", "head_name": "Мартынова Ольга Викторовна",
                         "head_position": "Директор Центра", "addressee_position": "Начальник управления образования",
                         "addressee_name": "Мирчук Тамара Владимировна"}, touches=(Municipality,)),
    # organisations
    Case("organisation_list", lambda w: reverse("organisation_list"), everyone(403, **SEERS)),
    Case("organisation_detail", staff_url("organisation_detail", "school"), everyone(403, **SEERS)),
    Case("organisation_detail", staff_url("organisation_detail", "sibling_school"),
         everyone(403, deputy=404, director=404, municipal_methodist=200, regional_methodist=200, admin=200),
         label="sibling"),
    Case("organisation_detail", staff_url("organisation_detail", "other_school"),
         everyone(403, deputy=404, director=404, municipal_methodist=404, regional_methodist=200, admin=200),
         label="other_municipality"),
    Case("organisation_detail", staff_url("organisation_detail", "far_school"),
         everyone(403, deputy=404, director=404, municipal_methodist=404, regional_methodist=404, admin=200),
         label="other_region"),
    # staff
    Case("staff_create", staff_url("staff_create", "school"), everyone(403, deputy=200, admin=200)),
    Case("staff_create", staff_url("staff_create", "sibling_school"),
         everyone(403, deputy=404, municipal_methodist=403, admin=200), label="sibling"),
    Case("staff_detail", staff_url("staff_detail", "colleague"), everyone(200, teacher=404)),
    Case("staff_detail", staff_url("staff_detail", "teacher_staff"), everyone(200), label="self"),
    Case("staff_detail", staff_url("staff_detail", "sibling_staff"),
         everyone(404, municipal_methodist=200, regional_methodist=200, admin=200), label="sibling"),
    Case("staff_detail", staff_url("staff_detail", "far_staff"), everyone(404, admin=200), label="other_region"),
    Case("staff_edit", staff_url("staff_edit", "colleague"), everyone(403, teacher=404, deputy=200, admin=200)),
    Case("staff_edit", staff_url("staff_edit", "sibling_staff"),
         everyone(404, municipal_methodist=403, regional_methodist=403, admin=200), label="sibling"),
    Case("staff_dismiss", staff_url("staff_dismiss", "colleague"), everyone(403, teacher=404, deputy=200, admin=200)),
    Case("staff_invite", invite_url("colleague"), everyone(403, teacher=404, deputy=302, admin=302),
         method="post", touches=(StaffMember,)),
    Case("staff_invite", invite_url("other_staff"),
         everyone(404, regional_methodist=403, admin=302), label="other_municipality", method="post",
         touches=(StaffMember,)),
]
