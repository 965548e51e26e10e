"""The ИОМ document downloads (routes/documents/urls.py): a route of the own school, a sibling
school of the same municipality, and a school of another municipality of the same region."""

from django.urls import reverse

from tests.matrix import Case, everyone


def route_of(attr):
    def build(world):
        from tests.routes.documents.factories import route_with_roadmap

        return world.obj(f"document_route_{attr}", lambda w: route_with_roadmap(2, person=getattr(w, attr)))

    return build


def url(name, attr):
    return lambda w: reverse(name, args=[route_of(attr)(w).pk])


OWN = everyone(200)  # the teacher owns it; deputy, director and methodists see the school
SIBLING = everyone(404, municipal_methodist=200, regional_methodist=200, admin=200)
OTHER_MUNICIPALITY = everyone(404, regional_methodist=200, admin=200)

CASES = [
    case
    for name in ("iom_pdf", "iom_docx")
    for case in (
        Case(name, url(name, "teacher_staff"), OWN),
        Case(name, url(name, "sibling_staff"), SIBLING, label="sibling"),
        Case(name, url(name, "other_staff"), OTHER_MUNICIPALITY, label="other_municipality"),
    )
]
