"""What routes contributes to the access layer (schools.access): its records and rules (RoutesConfig.ready)."""

from schools.access import register_records, register_rule


def contribute() -> None:
    from routes import selectors, services
    from routes.catalog import services as catalog
    from routes.models import Comment, Evidence, RoadmapActivity, Route
    from routes.roadmap import services as roadmap

    register_records(Route, visible=selectors.route_list_for)
    register_records(RoadmapActivity, visible=selectors.activity_visible_for, belongs_to="route")
    register_records(Evidence, visible=selectors.evidence_visible_for, belongs_to="activity")
    register_records(Comment, visible=selectors.comment_visible_for, belongs_to="route")
    register_rule("route.owner", services.is_owner)
    register_rule("route.review", services.can_review)
    register_rule("route.credit", services.can_credit)
    register_rule("route.comment", roadmap.can_comment)
    register_rule("comment.resolve", roadmap.may_resolve)
    register_rule("catalog.keep", catalog.may_keep)
