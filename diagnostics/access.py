"""What diagnostics contributes to the access layer (schools.access): its records and rules (DiagnosticsConfig.ready)."""

from schools.access import register_records, register_rule


def contribute() -> None:
    from diagnostics import selectors, services
    from diagnostics.models import Assessment, Deficit

    register_records(Assessment, visible=selectors.assessment_list_for, belongs_to="person")
    register_records(Deficit, visible=selectors.deficit_list_for, belongs_to="person")
    register_rule("diagnostics.not_own", services.judges_another)
    register_rule("deficits.take_into_work", services.may_work_on)
