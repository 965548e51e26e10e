"""docs/figures.md is `manage.py figures_table`, and every registered figure says what it is."""

from io import StringIO
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command

from core.figures import PERIOD_KINDS, all_figures, get


def test_docs_figures_md_is_the_commands_output():
    out = StringIO()
    call_command("figures_table", stdout=out)
    documented = (Path(settings.BASE_DIR) / "docs" / "figures.md").read_text(encoding="utf-8")
    assert documented == out.getvalue(), "docs/figures.md is stale: run `python manage.py figures_table > docs/figures.md`"


def test_every_figure_has_a_name_a_definition_and_a_period():
    codes = [f.code for f in all_figures()]
    assert len(codes) == len(set(codes))
    for f in all_figures():
        assert f.name and f.definition.endswith("."), f.code
        assert f.period_kind in PERIOD_KINDS and callable(f.compute), f.code


def test_two_quantities_easily_mistaken_have_two_names_and_say_why():
    assert get("coverage_share").name != get("iom_share").name
    assert get("coverage_share").differs_from and get("iom_share").differs_from


@pytest.mark.django_db
def test_the_definitions_page_lists_every_figure_with_its_anchor(client, django_user_model):
    client.force_login(django_user_model.objects.create_user("reader", password="x"))
    html = client.get("/figures/").content.decode()
    for f in all_figures():
        assert f'id="{f.code}"' in html and f.name in html
