"""The starter catalog (routes/catalog/data.py, `manage.py load_catalog`)."""

import pytest

from diagnostics.models import Competency
from routes.catalog.services import load_initial_catalog
from routes.models import CatalogResource
from tests.world import World

pytestmark = pytest.mark.django_db


@pytest.fixture
def w():
    return World()


def test_the_starter_catalog_covers_every_competency_and_loads_once(w):
    created, _ = load_initial_catalog()
    assert created == CatalogResource.objects.count() > 30
    assert load_initial_catalog() == (0, created)
    uncovered = Competency.objects.exclude(resources__isnull=False).values_list("code", flat=True)
    assert list(uncovered) == []
    assert CatalogResource.objects.filter(in_federal_registry=True, kind="course").count() >= 8
