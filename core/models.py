import uuid

from django.conf import settings
from django.db import models


class Notification(models.Model):
    """An in-portal message for one user; the bell in the header counts the unread ones."""

    recipient = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications")
    text = models.CharField("текст", max_length=500)
    url = models.CharField("ссылка", max_length=300, blank=True)
    created_at = models.DateTimeField("создано", auto_now_add=True)
    read_at = models.DateTimeField("прочитано", null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["recipient", "read_at"])]
        verbose_name = "уведомление"
        verbose_name_plural = "уведомления"

    def __str__(self):
        return self.text


def stored_file_path(instance, filename: str) -> str:
    """Uploaded and generated files get generated names: the user's name is kept in the model only."""
    suffix = ""
    if "." in filename:
        suffix = "." + filename.rsplit(".", 1)[1].lower()[:10]
    return f"{instance.STORAGE_FOLDER}/{uuid.uuid4().hex}{suffix}"


# The job of a large import lives with the import machinery; importing it here registers it with `core`.
from core.imports.models import ImportJob  # noqa: E402, F401
