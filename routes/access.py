"""What routes contributes to the access layer (schools.access): its records (RoutesConfig.ready)."""

from schools.access import register_records


def contribute() -> None:
    from routes import selectors
    from routes.models import Comment, Evidence, RoadmapActivity, Route

    register_records(Route, visible=selectors.route_list_for)
    register_records(RoadmapActivity, visible=selectors.activity_visible_for, belongs_to="route")
    register_records(Evidence, visible=selectors.evidence_visible_for, belongs_to="activity")
    register_records(Comment, visible=selectors.comment_visible_for, belongs_to="route")
