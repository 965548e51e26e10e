"""The invitation pages as people see them: the deputy's staff card and the owner's accept page."""

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse

from tests.factories import MembershipFactory, UserFactory
from tests.security.helpers import PageInspector
from tests.world import World

pytestmark = pytest.mark.django_db


@pytest.fixture
def w():
    return World()


@pytest.fixture
def asked(client, w, django_capture_on_commit_callbacks):
    """The deputy invited a colleague whose address is a teacher's account in another school."""
    owner = UserFactory(username="kollega@example.org", email="kollega@example.org")
    MembershipFactory(user=owner, role="teacher", organisation=w.other_school)
    w.colleague.email = owner.email
    w.colleague.save(update_fields=["email"])
    client.force_login(w.user("deputy"))
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("staff_invite", args=[w.colleague.pk]))
    [message] = mail.outbox
    path = message.body[message.body.index("/accounts/invitation/link/"):].split()[0]
    return owner, path


def test_the_staff_card_says_the_owner_has_not_answered_yet(client, w, asked):
    owner, _ = asked
    text = client.get(reverse("staff_detail", args=[w.colleague.pk])).content.decode()
    assert "Учетная запись</dt><dd class=\"col-sm-8\">нет" in text
    assert f"владельцу учетной записи {owner.username} отправлено приглашение, ждет подтверждения до" in text


def test_the_accept_page_speaks_russian_in_the_portal_layout(w, asked):
    owner, path = asked
    browser = Client()
    browser.force_login(owner)
    response = browser.get(path)
    text = response.content.decode()
    assert response.status_code == 200
    assert 'lang="ru"' in text and "navbar-portal" in text, "the base layout, with the menu and the logout"
    for words in ("Приглашение в организацию", "Организация", w.school.short_name, "Роли в организации", "Педагог",
                  "Ваша учетная запись", owner.username, "Действует до", "Ваши имя, пароль и роли в других "
                  "организациях не изменятся", "Принять", "Отклонить"):
        assert words in text
    page = PageInspector(text)
    assert not page.inline_handlers and not page.style_attributes


def test_the_deputy_is_told_the_owner_decides(client, w, asked):
    owner, _ = asked
    response = client.post(reverse("staff_invite", args=[w.colleague.pk]), follow=True)
    assert f"Ее владельцу отправлено письмо на {owner.email}" in response.content.decode()


def test_the_dismissal_page_says_which_access_ends(client, w):
    client.force_login(w.user("deputy"))
    text = client.get(reverse("staff_dismiss", args=[w.teacher_staff.pk])).content.decode()
    assert "Роли сотрудника в этой организации будут сняты" in text
    assert "если других ролей в портале у нее нет" in text
