from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from devdata.generator import BENCH_PASSWORD, SIZES, GenerationError, generate


class Command(BaseCommand):
    help = (
        "Сгенерировать данные для замеров скорости: S — один муниципалитет (10 организаций, 300 работников), "
        "M — 10 × S, L — регион (60 муниципалитетов, 2 000 организаций, 50 000 работников, 50 000 ИОМ, "
        "500 000 мероприятий, по 20 баллов диагностики на человека). Детерминированно (--seed). "
        "Пишет пачками (COPY в PostgreSQL, bulk_create в других базах), save() не вызывается. "
        "История изменений (simple-history) записывается пачкой: одна запись «+» на строку с причиной "
        "generate_data; --skip-history не пишет ее вовсе (только для стендов замеров). "
        f"У учетных записей стенда общий пароль {BENCH_PASSWORD!r} с одним заранее вычисленным хешем "
        "(одна соль на всех: только для стенда). Не запускается при DEBUG=false без --force."
    )

    def add_arguments(self, parser):
        parser.add_argument("--size", choices=sorted(SIZES), required=True, help="размер: S, M или L")
        parser.add_argument("--seed", type=int, default=1, help="зерно случайных чисел (по умолчанию 1)")
        parser.add_argument("--skip-history", action="store_true",
                            help="не писать историю изменений (быстрее; только для стендов замеров)")
        parser.add_argument("--force", action="store_true", help="разрешить запуск при DEBUG=false (база стенда)")
        parser.add_argument("--database", default="default", help="псевдоним базы из DATABASES")

    def handle(self, *args, **options):
        if not settings.DEBUG and not options["force"]:
            raise CommandError("Генератор пишет тысячи вымышленных людей: при DEBUG=false он запускается только "
                               "с --force и только на базе стенда, не на рабочей.")
        size = options["size"]
        try:
            result = generate(size, seed=options["seed"], history=not options["skip_history"],
                              using=options["database"], log=lambda m: self.stdout.write(f"  {m}"))
        except GenerationError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(self.style.SUCCESS(f"Данные размера {size} созданы за {result.seconds:.1f} с."))
        for label, n in sorted(result.counts.items()):
            self.stdout.write(f"  {label:<40} {n:>9,}  {result.table_seconds.get(label, 0):6.1f} с".replace(",", " "))
        self.stdout.write(f"Пароль учетных записей стенда: {BENCH_PASSWORD}")
