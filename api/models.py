import hashlib

from django.conf import settings
from django.db import models
from django.utils import timezone


def secret_digest(secret: str) -> str:
    """What is stored of a secret. The secret is 256 random bits, so a plain SHA-256 is enough: there is
    nothing to guess that a slow password hash would protect (and every request looks it up)."""
    return hashlib.sha256(secret.encode()).hexdigest()


class IntegrationToken(models.Model):
    """A secret an external system sends as `Authorization: Bearer <secret>` (docs/api.md).

    It acts as `account`, a service account holding the portal memberships (role + scope) the token
    was created with, and may use only the capabilities it lists (api/__init__.py says why).
    The secret is shown once, when the token is created; only its digest and first characters are kept.
    """

    name = models.CharField("название", max_length=200, help_text="Какая система и для чего, например «Региональная "
                                                                   "система мониторинга: выгрузка ИОМ».")
    account = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="integration_token",
                                   verbose_name="служебная учетная запись")
    prefix = models.CharField("начало секрета", max_length=12, help_text="По нему токен узнают в списке и в журнале.")
    secret_hash = models.CharField(max_length=64, unique=True, editable=False)
    capabilities = models.JSONField("разрешенные права", default=list, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                   related_name="+", verbose_name="кто создал")
    created_at = models.DateTimeField("создан", auto_now_add=True)
    last_used_at = models.DateTimeField("последнее обращение", null=True, blank=True)
    expires_at = models.DateTimeField("действует до", null=True, blank=True)
    revoked_at = models.DateTimeField("отозван", null=True, blank=True)
    revoked_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                   related_name="+", verbose_name="кто отозвал")

    class Meta:
        ordering = ["-created_at"]
        verbose_name = "токен интеграции"
        verbose_name_plural = "токены интеграций"

    def __str__(self):
        return f"{self.name} ({self.prefix}…)"

    def state_at(self, now) -> str:
        """"active", "revoked" or "expired"."""
        if self.revoked_at is not None:
            return "revoked"
        if self.expires_at is not None and self.expires_at <= now:
            return "expired"
        return "active"

    @property
    def state_label(self) -> str:
        return {"active": "действует", "revoked": "отозван", "expired": "истек"}[self.state_at(timezone.now())]
