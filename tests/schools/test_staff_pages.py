"""Staff pages as a deputy uses them: create, edit, dismiss, invite; bad input in Russian."""

import datetime as dt

import pytest
from django.core import mail
from django.urls import reverse

from schools.models import Membership, StaffMember
from schools.services import STAFF_EDITABLE_FIELDS
from tests.factories import StaffFactory
from tests.world import World

pytestmark = pytest.mark.django_db


@pytest.fixture
def w():
    return World()


@pytest.fixture
def deputy_client(client, w):
    client.force_login(w.user("deputy"))
    return client


def staff_form_data(**overrides):
    data = {
        "last_name": "Смирнова", "first_name": "Ольга", "middle_name": "Ивановна", "birth_date": "1985-03-14",
        "position": "учитель биологии", "subject": "биология", "is_main_position": "on", "status": "working",
        "dismissed_on": "", "qualification_category": "first", "attested_on": "2023-12-01",
        "experience_years": "12", "education": "высшее педагогическое", "email": "",
    }
    data.update(overrides)
    return data


def test_deputy_adds_a_teacher_to_their_school(deputy_client, w):
    response = deputy_client.post(reverse("staff_create", args=[w.school.pk]), staff_form_data())
    staff = StaffMember.objects.get(last_name="Смирнова")
    assert response.status_code == 302 and response["Location"] == reverse("staff_detail", args=[staff.pk])
    assert staff.organisation == w.school
    assert staff.position_category == "teacher"
    assert staff.history.count() == 1, "the change is kept in the history"


def test_posted_organisation_is_ignored(deputy_client, w):
    deputy_client.post(reverse("staff_create", args=[w.school.pk]),
                       staff_form_data(organisation=w.other_school.pk, user=w.user("admin").pk))
    staff = StaffMember.objects.get(last_name="Смирнова")
    assert staff.organisation == w.school and staff.user is None


@pytest.mark.parametrize("overrides, field, message", [
    ({"last_name": ""}, "last_name", "Обязательное поле"),
    ({"status": "dismissed"}, "dismissed_on", "Укажите дату увольнения"),
    ({"birth_date": "2020-01-01"}, "birth_date", "Проверьте дату рождения"),
    ({"email": "не-почта"}, "email", "Введите правильный адрес электронной почты"),
    ({"experience_years": "-3"}, "experience_years", "больше либо равно 0"),
])
def test_bad_input_is_refused_with_a_russian_message_and_nothing_is_lost(deputy_client, w, overrides, field, message):
    data = staff_form_data(**overrides)
    response = deputy_client.post(reverse("staff_create", args=[w.school.pk]), data)
    assert response.status_code == 200
    assert message in str(response.context["form"].errors[field])
    assert not StaffMember.objects.filter(last_name="Смирнова").exists()
    # what the user typed is still in the form
    assert response.context["form"]["education"].value() == "высшее педагогическое"


def test_duplicate_email_is_refused(deputy_client, w):
    response = deputy_client.post(reverse("staff_create", args=[w.school.pk]), staff_form_data(email="teacher@example.org"))
    assert response.status_code == 200
    assert "уже существует" in str(response.context["form"].errors["email"])


def test_deputy_dismisses_a_teacher_and_their_account_is_disabled(deputy_client, w):
    teacher = w.teacher_staff
    response = deputy_client.post(reverse("staff_dismiss", args=[teacher.pk]), {"dismissed_on": "15.06.2026"})
    assert response.status_code == 302
    teacher.refresh_from_db()
    assert teacher.status == "dismissed" and teacher.dismissed_on == dt.date(2026, 6, 15)
    assert not teacher.user.is_active


def test_invitation_creates_an_account_with_the_role_of_the_position_and_sends_a_link(
    deputy_client, w, client, django_capture_on_commit_callbacks
):
    newcomer = StaffFactory(organisation=w.school, position="заместитель директора по ВР", email="Novaya@Example.org")
    with django_capture_on_commit_callbacks(execute=True):
        response = deputy_client.post(reverse("staff_invite", args=[newcomer.pk]))
    assert response.status_code == 302
    newcomer.refresh_from_db()
    user = newcomer.user
    assert user.username == "novaya@example.org" and not user.has_usable_password()
    assert set(Membership.objects.filter(user=user).values_list("role", flat=True)) == {"deputy", "teacher"}
    assert len(mail.outbox) == 1 and "Приглашение" in mail.outbox[0].subject
    link = next(line for line in mail.outbox[0].body.splitlines() if "/accounts/invitation/" in line)
    path = link[link.index("/accounts/"):]
    client.logout()
    form_page = client.get(path, follow=True)
    assert form_page.status_code == 200 and "Задайте пароль" in form_page.content.decode()
    response = client.post(form_page.redirect_chain[-1][0] if form_page.redirect_chain else path,
                           {"new_password1": "Учитель-2026!", "new_password2": "Учитель-2026!"})
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.check_password("Учитель-2026!")


def test_invitation_without_email_says_why(deputy_client, w):
    response = deputy_client.post(reverse("staff_invite", args=[w.colleague.pk]), follow=True)
    assert "укажите его e-mail" in response.content.decode()
    w.colleague.refresh_from_db()
    assert w.colleague.user is None


def test_organisation_page_filters_staff(deputy_client, w):
    url = reverse("organisation_detail", args=[w.school.pk])
    response = deputy_client.get(url, {"category": "deputy"})
    names = [s.pk for s in response.context["page"]]
    assert names == [w.deputy_staff.pk]


def test_organisation_page_query_count_does_not_grow_with_staff(deputy_client, w, django_assert_max_num_queries):
    url = reverse("organisation_detail", args=[w.school.pk])
    deputy_client.get(url)
    StaffFactory.create_batch(40, organisation=w.school)
    # session, user, memberships, organisation, count, page of staff (with org/user joined, the open pair
    # joined for its mentor), the mentors of the page, notifications count
    with django_assert_max_num_queries(9):
        deputy_client.get(url)


def test_deputy_edits_a_teacher_and_the_change_is_saved_with_history(deputy_client, w):
    colleague = w.colleague
    data = staff_form_data(last_name="Кравцова", email="")
    response = deputy_client.post(reverse("staff_edit", args=[colleague.pk]), data)
    assert response.status_code == 302
    colleague.refresh_from_db()
    assert colleague.last_name == "Кравцова" and colleague.position == "учитель биологии"
    assert colleague.history.first().last_name == "Кравцова"


def test_the_login_form_keeps_its_focus_autocomplete_and_next(client):
    page = client.get(reverse("login"), {"next": "/routes/"}).content.decode()
    assert 'name="username"' in page and "autofocus" in page and 'autocomplete="username"' in page
    assert 'autocomplete="current-password"' in page
    assert '<input type="hidden" name="next" value="/routes/">' in page
    refused = client.post(reverse("login"), {"username": "nobody", "password": "x"}).content.decode()
    assert "Неверный логин или пароль" in refused and 'value="nobody"' in refused


def test_the_staff_form_lays_its_fields_out_three_a_line(deputy_client, w):
    page = deputy_client.get(reverse("staff_edit", args=[w.colleague.pk])).content.decode()
    assert page.count('class="col-md-6 col-lg-4"') == len(STAFF_EDITABLE_FIELDS)
    assert 'type="date" name="birth_date"' in page and 'type="checkbox" name="is_main_position"' in page
