"""`python manage.py api_token create|list|revoke`: integration tokens from the command line (docs/api.md)."""

import datetime as dt

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from api import services
from api.models import IntegrationToken
from api.permissions import API_CAPABILITIES
from core.dates import format_datetime
from core.errors import DomainError
from schools.models import Membership, Municipality, Organisation, Region


def _get(model, pk):
    if pk is None:
        return None
    try:
        return model.objects.get(pk=pk)
    except model.DoesNotExist:
        raise CommandError(f"{model._meta.verbose_name} с id {pk} не найден(а).") from None


def _expiry(text: str | None):
    if not text:
        return None
    try:
        day = dt.datetime.strptime(text, "%d.%m.%Y").date()
    except ValueError:
        raise CommandError("Дата окончания пишется как ДД.ММ.ГГГГ.") from None
    return timezone.make_aware(dt.datetime.combine(day, dt.time(23, 59, 59)))


class Command(BaseCommand):
    help = "Токены интеграций: создать (секрет показывается один раз), показать список, отозвать."

    def add_arguments(self, parser):
        commands = parser.add_subparsers(dest="action", required=True)
        create = commands.add_parser("create", help="новый токен")
        create.add_argument("--name", required=True)
        create.add_argument("--role", required=True, choices=[r.value for r in Membership.Role])
        create.add_argument("--organisation", type=int, help="id организации (роли школы)")
        create.add_argument("--municipality", type=int, help="id муниципалитета (методист ММЦ)")
        create.add_argument("--region", type=int, help="id региона (региональный методист)")
        create.add_argument("--capability", action="append", required=True, choices=API_CAPABILITIES,
                            dest="capabilities", help="право токена; повторите для нескольких")
        create.add_argument("--expires", help="действует по эту дату включительно, ДД.ММ.ГГГГ")
        commands.add_parser("list", help="все токены")
        revoke = commands.add_parser("revoke", help="отозвать токен")
        revoke.add_argument("id", type=int)

    def handle(self, *args, action, **options):
        getattr(self, f"_{action}")(**options)

    def _create(self, *, name, role, organisation, municipality, region, capabilities, expires, **_):
        try:
            token, secret = services.token_create(
                name=name, role=role, capabilities=capabilities, organisation=_get(Organisation, organisation),
                municipality=_get(Municipality, municipality), region=_get(Region, region),
                expires_at=_expiry(expires))
        except ValidationError as exc:
            raise CommandError("; ".join(exc.messages)) from None
        self.stderr.write(f"Токен {token.pk} «{token.name}» создан. Секрет показывается один раз:")
        self.stdout.write(secret)

    def _list(self, **_):
        now = timezone.now()
        for token in IntegrationToken.objects.select_related("account").prefetch_related(
                "account__memberships__organisation", "account__memberships__municipality",
                "account__memberships__region"):
            scope = "; ".join(f"{m.role}:{m.scope_label}" for m in token.account.memberships.all())
            used = format_datetime(token.last_used_at) or "не использовался"  # the project's zone, not UTC
            self.stdout.write(f"{token.pk}\t{token.prefix}…\t{token.state_at(now)}\t{token.name}\t{scope}\t"
                              f"{','.join(token.capabilities)}\t{used}")

    def _revoke(self, *, id, **_):
        try:
            token = services.token_revoke(token=_get(IntegrationToken, id))
        except DomainError as exc:
            raise CommandError(str(exc)) from None
        self.stdout.write(f"Токен {token.pk} «{token.name}» отозван, его учетная запись отключена.")
