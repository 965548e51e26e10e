"""What diagnostics contributes to the access layer (schools.access): its records (DiagnosticsConfig.ready)."""

from schools.access import register_records


def contribute() -> None:
    from diagnostics import selectors
    from diagnostics.models import Assessment, Deficit

    register_records(Assessment, visible=selectors.assessment_list_for, belongs_to="person")
    register_records(Deficit, visible=selectors.deficit_list_for, belongs_to="person")
