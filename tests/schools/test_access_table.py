"""docs/access.md is `manage.py access_table`: the rights a newcomer reads are the rights the code applies."""

from io import StringIO
from pathlib import Path

import pytest
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.core.management import call_command

from schools.access import CAPABILITIES, MEANING, register_rule, registered_rules, rule
from schools.management.commands.access_table import access_table


def test_every_capability_says_what_it_allows():
    assert set(MEANING) == set(CAPABILITIES)


def test_docs_access_md_is_the_commands_output():
    out = StringIO()
    call_command("access_table", stdout=out)
    documented = (Path(settings.BASE_DIR) / "docs" / "access.md").read_text(encoding="utf-8")
    assert documented == out.getvalue(), "docs/access.md is stale: run `python manage.py access_table > docs/access.md`"


def test_every_app_contributes_its_object_rules():
    # The registry is filled by the apps' AppConfig.ready (their access.py), not by this test.
    assert {"own", "route.owner", "route.review", "route.credit", "diagnostics.not_own", "catalog.keep",
            "event.keep", "report.download"} <= set(registered_rules())


def test_the_table_lists_every_registered_rule_with_where_it_is_written():
    table = access_table()
    for name, predicate in registered_rules().items():
        assert f"- **`{name}`** (`{predicate.__module__}.{predicate.__qualname__}`)" in table


def test_a_rule_without_a_docstring_or_with_a_taken_name_is_refused():
    with pytest.raises(ImproperlyConfigured, match="docstring"):
        register_rule("test.undocumented", lambda user, record: True)
    with pytest.raises(ImproperlyConfigured, match="two access rules"):
        register_rule("route.owner", rule("route.review"))
    with pytest.raises(ImproperlyConfigured, match="no access rule"):
        rule("test.unknown")
