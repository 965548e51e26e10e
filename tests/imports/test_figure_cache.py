"""A committed import moves every cached dashboard figure: the next visit shows the new numbers."""

import pytest

from core.imports import get_kind, run_import
from tests.dashboard_figures import dashboard, methodist_client, school_staff
from tests.imports.factories import STAFF_HEADER, staff_row, xlsx_bytes
from tests.world import World

pytestmark = pytest.mark.django_db


def test_imported_staff_are_counted_at_once(client, django_capture_on_commit_callbacks):
    w = World()
    client = methodist_client(client, w)
    before = school_staff(dashboard(client, w), "Школа A1")
    with django_capture_on_commit_callbacks(execute=True):
        result = run_import(get_kind("staff"), xlsx_bytes(STAFF_HEADER, [staff_row("Школа A1", "Петрова")]), "s.xlsx")
    assert result.written, result.error_lines()
    assert school_staff(dashboard(client, w), "Школа A1") == before + 1
