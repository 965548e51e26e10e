"""The job of a large import: the check (preview) or the write of one uploaded file, run by Celery.

A small file is checked and written inside its request. A large one (core/imports/jobs.py says
which) would hold a web worker for tens of seconds, so its check and its write each become a
job row that a Celery task works off (core/imports/tasks.py) while the browser polls the row's
progress. The file itself and the checked rows stay where the synchronous preview keeps them,
under imports/<token>/ in the default storage (core/imports/preview.py).

The model belongs to the `core` app (core/models.py imports it): core knows no domain app, and
an import job is machinery, like the kinds' registry.
"""


from django.conf import settings
from django.db import models

from core.queue import QueuedJob


def _number(value: int) -> str:
    return f"{value:,}".replace(",", " ")


def _rows_word(count: int) -> str:
    """«из 21 строки», «из 2 000 строк»: the genitive after «из»."""
    return "строки" if count % 10 == 1 and count % 100 != 11 else "строк"


class ImportJob(QueuedJob):
    class Phase(models.TextChoices):
        CHECK = "check", "Проверка файла"
        WRITE = "write", "Запись в портал"

    class Status(models.TextChoices):
        QUEUED = "queued", "В очереди"
        RUNNING = "running", "Выполняется"
        DONE = "done", "Готово"
        FAILED = "failed", "Ошибка"

    class Stage(models.TextChoices):
        READING = "reading", "Чтение файла"
        CHECKING = "checking", "Проверка строк"
        WRITING = "writing", "Запись"

    requester = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="import_jobs")
    kind = models.CharField("вид загрузки", max_length=40)
    token = models.UUIDField("загрузка", db_index=True)  # imports/<token>/ in the default storage
    filename = models.CharField("файл", max_length=255)
    phase = models.CharField("шаг", max_length=5, choices=Phase)
    status = models.CharField("состояние", max_length=7, choices=Status, default=Status.QUEUED)
    stage = models.CharField("этап", max_length=8, choices=Stage, default=Stage.READING)
    rows_done = models.PositiveIntegerField("обработано строк", default=0)
    rows_total = models.PositiveIntegerField("всего строк", default=0)
    counts = models.JSONField("итог", default=dict, blank=True)  # new / update / unchanged / error
    created_at = models.DateTimeField("создано", auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["requester", "created_at"])]
        verbose_name = "задание загрузки"
        verbose_name_plural = "задания загрузки"

    def __str__(self):
        return f"{self.get_phase_display()}: {self.filename}"

    @property
    def percent(self) -> int:
        return min(100, self.rows_done * 100 // self.rows_total) if self.rows_total else 0

    @property
    def progress_text(self) -> str:
        if self.status == self.Status.QUEUED:
            return "Задание ждет очереди"
        if not self.rows_total:
            return f"Прочитано строк: {_number(self.rows_done)}"
        return (f"Обработано {_number(self.rows_done)} из {_number(self.rows_total)} "
                f"{_rows_word(self.rows_total)}")
