"""What methodics contributes to the access layer (schools.access): its records and rules (MethodicsConfig.ready).

Events of a school and programmes of help belong to an organisation; events of the municipal
methodical centre and municipal projects to a municipality as a whole (schools.access.Scope).
"""

from schools.access import register_records, register_rule


def contribute() -> None:
    from methodics.events import selectors as events
    from methodics.mentoring import selectors as mentoring
    from methodics.models import (
        Attendance,
        Event,
        HelpActivity,
        HelpPlan,
        MentoringPair,
        ParticipantStep,
        Project,
        ProjectParticipant,
    )
    from methodics.plans import selectors as plans
    from methodics.projects import selectors as projects

    register_records(Event, visible=events.event_visible_for)
    register_records(Attendance, visible=events.attendance_visible_for, belongs_to="event")
    register_records(MentoringPair, visible=mentoring.pair_visible_for)
    register_records(HelpPlan, visible=plans.plan_visible_for)
    register_records(HelpActivity, visible=plans.plan_activity_visible_for, belongs_to="plan")
    register_records(Project, visible=projects.project_visible_for)
    register_records(ProjectParticipant, visible=projects.participant_visible_for, belongs_to="project")
    register_records(ParticipantStep, belongs_to="participant")
    register_rule("event.keep", events.can_manage_event)
