import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone


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


class OutgoingEmail(models.Model):
    """One e-mail of the portal, kept until it is sent (the outbox of core.services.queue_email).

    Written in the transaction of the action that sends it, sent by a Celery task after the commit,
    retried with growing pauses while the mail server fails; after the last attempt it waits in
    the admin for «Отправить снова». The text of a sent message is erased: it may hold a link
    that sets a password.
    """

    class Kind(models.TextChoices):
        NOTIFICATION = "notification", "Уведомление"
        INVITATION = "invitation", "Приглашение"
        ACCOUNT_LINK = "account_link", "Подтверждение приглашения"
        PASSWORD_RESET = "password_reset", "Восстановление пароля"
        DIGEST = "digest", "Рассылка"

    class Status(models.TextChoices):
        PENDING = "pending", "Ждет отправки"
        SENDING = "sending", "Отправляется"
        SENT = "sent", "Отправлено"
        FAILED = "failed", "Не отправлено"

    kind = models.CharField("вид", max_length=20, choices=Kind, default=Kind.NOTIFICATION)
    to = models.EmailField("кому")
    subject = models.CharField("тема", max_length=300)
    body = models.TextField("текст", blank=True)
    html_body = models.TextField("текст HTML", blank=True)
    status = models.CharField("состояние", max_length=8, choices=Status, default=Status.PENDING)
    attempts = models.PositiveSmallIntegerField("попыток", default=0)
    next_attempt_at = models.DateTimeField("следующая попытка", default=timezone.now)
    claimed_at = models.DateTimeField(null=True, blank=True)
    last_error = models.CharField("последняя ошибка", max_length=500, blank=True)
    created_at = models.DateTimeField("создано", auto_now_add=True)
    sent_at = models.DateTimeField("отправлено", null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["status", "next_attempt_at"])]
        verbose_name = "письмо"
        verbose_name_plural = "письма"

    def __str__(self):
        return f"{self.subject} → {self.to}"


def stored_file_path(instance, filename: str) -> str:
    """Uploaded and generated files get generated names: the user's name is kept in the model only."""
    suffix = ""
    if "." in filename:
        suffix = "." + filename.rsplit(".", 1)[1].lower()[:10]
    return f"{instance.STORAGE_FOLDER}/{uuid.uuid4().hex}{suffix}"




class DigestPreference(models.Model):
    """Which digests («Рассылки») a user receives; no row means both (the weekly and the monthly)."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="digest_preference")
    weekly = models.BooleanField("еженедельная сводка дел", default=True)
    monthly = models.BooleanField("ежемесячная сводка показателей", default=True)
    updated_at = models.DateTimeField("изменено", auto_now=True)

    class Meta:
        verbose_name = "настройка рассылок"
        verbose_name_plural = "настройки рассылок"

    def __str__(self):
        return f"{self.user}: weekly={self.weekly}, monthly={self.monthly}"


class DigestSent(models.Model):
    """One digest sent to one user for one period (a week "2026-W49", a month "2026-12"): the unique key
    makes a retried or doubled beat run send nothing the second time."""

    class Kind(models.TextChoices):
        WEEKLY = "weekly", "Еженедельная"
        MONTHLY = "monthly", "Ежемесячная"

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="digests_sent")
    kind = models.CharField("рассылка", max_length=10, choices=Kind)
    period = models.CharField("период", max_length=10)
    email = models.ForeignKey(OutgoingEmail, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    sent_at = models.DateTimeField("отправлено", auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "kind", "period"], name="digest_once_per_period")]
        verbose_name = "отправленная рассылка"
        verbose_name_plural = "отправленные рассылки"

    def __str__(self):
        return f"{self.kind} {self.period} → {self.user}"


# The job of a large import lives with the import machinery; importing it here registers it with `core`.
from core.imports.models import ImportJob  # noqa: E402, F401
