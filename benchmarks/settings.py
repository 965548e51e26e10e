"""Settings of the bench and the load test: production settings with one difference.

Static files are collected without the hashed manifest: the manifest storage's collectstatic
stops on a source map the vendored Bootstrap names but does not ship
(bootstrap.bundle.min.js.map), and pages render `{% static %}` through the manifest. Neither
the bench nor the load test requests static files, so this changes no measured figure.
"""

from iom_portal.settings import *  # noqa: F403

STORAGES = {
    **STORAGES,  # noqa: F405
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}

# Refusals (403/404) of pages a role may not open are expected while pages are discovered:
# keep the console for errors.
LOGGING = {
    **LOGGING,  # noqa: F405
    "loggers": {
        **LOGGING["loggers"],  # noqa: F405
        "django.request": {"handlers": ["console"], "level": "ERROR", "propagate": False},
        "iom.security": {"handlers": ["security"], "level": "WARNING", "propagate": False},
    },
}
