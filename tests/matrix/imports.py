from django.urls import reverse

from tests.matrix import Case, everyone

UNKNOWN_TOKEN = "0b0e4e59-5b1f-4a8e-9a55-1d1c1e2f3a4b"
# Capabilities of schools.access: staff.import (deputy, administrator), org.import (municipal methodist,
# administrator), route.import for routes and activities (municipal and regional methodist,
# administrator: a deputy approves routes in the portal, not from a file), staff.view for the export.
STAFF_IMPORTERS = dict(deputy=200, admin=200)
ORG_IMPORTERS = dict(municipal_methodist=200, admin=200)
HISTORY_IMPORTERS = dict(municipal_methodist=200, regional_methodist=200, admin=200)
STAFF_VIEWERS = dict(deputy=200, director=200, municipal_methodist=200, regional_methodist=200, admin=200)


def kind_url(name, kind, *args):
    return lambda w: reverse(name, args=[kind, *args])


CASES = [
    # the list of kinds: importers, and those who may only export staff
    Case("import_index", lambda w: reverse("import_index"), everyone(403, **STAFF_VIEWERS)),
    Case("import_upload", kind_url("import_upload", "staff"), everyone(403, **STAFF_IMPORTERS), label="staff"),
    Case("import_upload", kind_url("import_upload", "routes"), everyone(403, **HISTORY_IMPORTERS), label="routes"),
    Case("import_upload", kind_url("import_upload", "activities"), everyone(403, **HISTORY_IMPORTERS),
         label="activities"),
    Case("import_template", kind_url("import_template", "routes"), everyone(403, **HISTORY_IMPORTERS),
         label="routes"),
    Case("import_upload", kind_url("import_upload", "organizations"), everyone(403, **ORG_IMPORTERS),
         label="organizations"),
    Case("import_upload", kind_url("import_upload", "nonsense"), everyone(404), label="unknown_kind"),
    Case("import_template", kind_url("import_template", "staff"), everyone(403, **STAFF_IMPORTERS), label="staff"),
    Case("import_template", kind_url("import_template", "organizations"), everyone(403, **ORG_IMPORTERS),
         label="organizations"),
    Case("import_export", kind_url("import_export", "staff"), everyone(403, **STAFF_VIEWERS), label="staff"),
    Case("import_export", kind_url("import_export", "routes"), everyone(404), label="not_exported"),
    # a preview belongs to the session that uploaded it: anyone else's token sends the importer to upload again
    Case("import_preview", kind_url("import_preview", "staff", UNKNOWN_TOKEN),
         everyone(403, deputy=302, admin=302), label="foreign_token"),
    Case("import_confirm", kind_url("import_confirm", "staff", UNKNOWN_TOKEN),
         everyone(403, deputy=302, admin=302), label="foreign_token", method="post",
         noop="no preview of this session has the token: the importer is sent to upload again"),
    Case("import_confirm", kind_url("import_confirm", "organizations", UNKNOWN_TOKEN),
         everyone(403, municipal_methodist=302, admin=302), label="organizations", method="post",
         noop="no preview of this session has the token: the importer is sent to upload again"),
    Case("import_confirm", kind_url("import_confirm", "routes", UNKNOWN_TOKEN),
         everyone(403, municipal_methodist=302, regional_methodist=302, admin=302), label="routes", method="post",
         noop="no preview of this session has the token: the importer is sent to upload again"),
    # the progress of a large file's job: only its uploader's session knows the token
    Case("import_job", kind_url("import_job", "staff", UNKNOWN_TOKEN),
         everyone(403, deputy=302, admin=302), label="foreign_token"),
    Case("import_job", kind_url("import_job", "routes", UNKNOWN_TOKEN),
         everyone(403, municipal_methodist=302, regional_methodist=302, admin=302), label="routes"),
]
