from core.nav import NavLink
from routes.workflow.credit import queue_title

NAV = [
    NavLink("Мой ИОМ", "routes:my_routes", ("route.own",)),
    NavLink("Согласование", "routes:review_queue", ("route.review",)),
    NavLink("Зачет ИОМ", "routes:credit_queue", ("route.credit",), label_for=queue_title),
    NavLink("Реализация", "routes:monitor", ("route.view",)),
    NavLink("Календарь сроков", "calendar:page", ("route.own",), menu="user"),
    NavLink("Рассылки", "digests:page", ("digest.weekly", "digest.monthly"), menu="user"),
]
