from django import template
from django.urls import reverse

from schools.access import has_capability

register = template.Library()

# (label, url name, capability that shows the tab)
TABS = [
    ("Обзор", "methodics:index", "methodics.view"),
    ("Мероприятия", "methodics:event_list", "methodics.view"),
    ("Наставничество", "methodics:mentoring", "staff.view"),
    ("Программы помощи", "methodics:plan_list", "methodics.view"),
    ("Проекты", "methodics:project_list", "methodics.view"),
    ("Мои мероприятия", "methodics:my_events", "route.own"),
]


@register.inclusion_tag("methodics/_tabs.html", takes_context=True)
def methodics_tabs(context, current: str):
    user = context["request"].user
    tabs = [
        {"label": label, "url": reverse(name), "active": name == current}
        for label, name, capability in TABS
        if has_capability(user, capability)
    ]
    return {"tabs": tabs}
