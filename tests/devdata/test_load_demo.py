"""manage.py load_demo: only with DEBUG on, into an empty database, and once under --if-empty (make run)."""

import io

import pytest
from django.core.management import CommandError, call_command

from schools.models import Organisation, Region

pytestmark = pytest.mark.django_db


def test_load_demo_refuses_to_run_with_debug_off(settings):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="DEBUG=true"):
        call_command("load_demo", "--if-empty")
    assert not Region.objects.exists()


def test_load_demo_if_empty_loads_once_and_then_only_prints_the_accounts(settings):
    settings.DEBUG = True
    out = io.StringIO()
    call_command("load_demo", "--if-empty", stdout=out)
    assert "Демо-данные загружены." in out.getvalue()
    organisations = Organisation.objects.count()

    again = io.StringIO()
    call_command("load_demo", "--if-empty", stdout=again)
    assert "Демо-данные уже загружены." in again.getvalue() and "логин: teacher" in again.getvalue()
    assert Organisation.objects.count() == organisations
    with pytest.raises(CommandError, match="пустую базу"):
        call_command("load_demo")
