"""docs/access.md is `manage.py access_table`: the rights a newcomer reads are the rights the code applies."""

from io import StringIO
from pathlib import Path

from django.conf import settings
from django.core.management import call_command

from schools.access import CAPABILITIES, MEANING


def test_every_capability_says_what_it_allows():
    assert set(MEANING) == set(CAPABILITIES)


def test_docs_access_md_is_the_commands_output():
    out = StringIO()
    call_command("access_table", stdout=out)
    documented = (Path(settings.BASE_DIR) / "docs" / "access.md").read_text(encoding="utf-8")
    assert documented == out.getvalue(), "docs/access.md is stale: run `python manage.py access_table > docs/access.md`"
