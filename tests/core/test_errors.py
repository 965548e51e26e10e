import pytest

from core.errors import DomainError
from core.imports.reading import UnreadableFile
from core.imports.values import CellError
from diagnostics.services import DiagnosticsError
from methodics.services import AlreadyDeleted, MethodicsError
from reports.builders import ReportError
from reports.services import ReportServiceError
from routes.catalog.services import CatalogError
from routes.drafting.services import DraftingError
from routes.services import EditConflict, RouteError
from schools import services as school_services


@pytest.mark.parametrize("error_class", [
    DiagnosticsError, RouteError, EditConflict, DraftingError, CatalogError, MethodicsError, AlreadyDeleted,
    ReportError, ReportServiceError, UnreadableFile, CellError,
])
def test_every_apps_refusal_is_a_domain_error(error_class):
    assert issubclass(error_class, DomainError)


def test_the_old_name_in_schools_is_the_shared_class():
    assert school_services.DomainError is DomainError


@pytest.mark.parametrize("error_class", [ReportError, UnreadableFile, CellError])
def test_errors_that_were_value_errors_still_are(error_class):
    # Callers that catch ValueError around cleaners and report parameters keep working.
    assert issubclass(error_class, ValueError)
