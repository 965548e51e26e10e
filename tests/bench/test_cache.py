"""core.cache: a cached figure is reused until a write in its scope bumps a municipality's version."""

import pytest
from django.core.cache import cache
from django.db import transaction

from core.cache import bump, bump_on_commit, cached_figure
from schools.cache import bump_organisations_on_commit
from tests.factories import MunicipalityFactory, OrganisationFactory


@pytest.fixture(autouse=True)
def _empty_cache():
    cache.clear()
    yield
    cache.clear()


def _counter():
    calls = []

    def compute():
        calls.append(1)
        return len(calls)

    return calls, compute


def test_a_figure_is_computed_once_until_its_scope_changes():
    calls, compute = _counter()
    assert cached_figure("coverage", [1, 2], ("2024-2025",), compute) == 1
    assert cached_figure("coverage", [2, 1], ("2024-2025",), compute) == 1  # same scope, any order
    assert len(calls) == 1
    bump(2)
    assert cached_figure("coverage", [1, 2], ("2024-2025",), compute) == 2


def test_a_write_elsewhere_keeps_the_figure_and_other_parameters_are_other_figures():
    calls, compute = _counter()
    cached_figure("coverage", [1], ("2024-2025",), compute)
    bump(3)
    cached_figure("coverage", [1], ("2024-2025",), compute)
    assert len(calls) == 1
    cached_figure("coverage", [1], ("2025-2026",), compute)
    cached_figure("audit", [1], ("2024-2025",), compute)
    assert len(calls) == 3


@pytest.mark.django_db
def test_versions_move_at_the_write_and_again_when_it_commits(django_capture_on_commit_callbacks):
    calls, compute = _counter()
    cached_figure("coverage", [7], (), compute)
    with django_capture_on_commit_callbacks(execute=True):
        with transaction.atomic():
            bump_on_commit(7)
            # a reader inside the writing transaction gets the new figure, not the cached one
            assert cached_figure("coverage", [7], (), compute) == 2
    # what was computed before the commit is not kept after it
    assert cached_figure("coverage", [7], (), compute) == 3
    assert cached_figure("coverage", [7], (), compute) == 3


@pytest.mark.django_db
def test_a_rolled_back_write_costs_one_recomputation_and_no_stale_figure(django_capture_on_commit_callbacks):
    calls, compute = _counter()
    cached_figure("coverage", [7], (), compute)
    with django_capture_on_commit_callbacks(execute=True):
        with pytest.raises(RuntimeError), transaction.atomic():
            bump_on_commit(7)
            raise RuntimeError("the write fails")
    assert cached_figure("coverage", [7], (), compute) == 2
    assert cached_figure("coverage", [7], (), compute) == 2
    assert len(calls) == 2


@pytest.mark.django_db
def test_organisations_bump_their_municipality(django_capture_on_commit_callbacks):
    municipality = MunicipalityFactory()
    school = OrganisationFactory(municipality=municipality)
    calls, compute = _counter()
    cached_figure("coverage", [municipality.pk], (), compute)
    with django_capture_on_commit_callbacks(execute=True):
        bump_organisations_on_commit(school.pk)
    cached_figure("coverage", [municipality.pk], (), compute)
    assert len(calls) == 2
