"""What the writes of every methodics feature share (methodics/<feature>/services.py): the refusal
they raise, and the locks that turn a row deleted by a concurrent request into a message.

Every service is keyword-only and atomic, checks the actor's right through schools.access (an
organisation's records or a municipality's own), raises MethodicsError (a DomainError: the message
is shown as is) or ValidationError, and notifies people after commit.
"""

from contextlib import contextmanager

from django.db import IntegrityError, connection, transaction

from core.errors import DomainError, RowDeleted
from methodics.models import (
    Attendance,
    AttendanceLink,
    Event,
    HelpActivity,
    HelpPlan,
    MentoringPair,
    ParticipantStep,
    Project,
    ProjectParticipant,
)
from routes.models import RoadmapActivity, Route
from schools.models import StaffMember


class MethodicsError(DomainError):
    """A refused action of methodical support; the message is shown to the user."""


class AlreadyDeleted(MethodicsError, RowDeleted):
    """The row an action of methodical support is about was deleted meanwhile (see core.errors.RowDeleted)."""


GONE = {
    Event: "Мероприятие уже удалено.",
    Attendance: "Участник уже удален из списка мероприятия.",
    AttendanceLink: "Связь с ИОМ уже снята.",
    Route: "ИОМ уже удален.",
    RoadmapActivity: "Мероприятие дорожной карты уже удалено из ИОМ.",
    StaffMember: "Сотрудник уже удален.",
    MentoringPair: "Наставническая пара уже удалена.",
    HelpPlan: "Программа помощи уже удалена.",
    HelpActivity: "Мероприятие программы уже удалено.",
    Project: "Проект уже удален.",
    ProjectParticipant: "Участник уже исключен из проекта.",
    ParticipantStep: "Отметка уже удалена.",
}


def locked(model, pk):
    """Re-read the row inside the transaction and lock it (SELECT ... FOR UPDATE on PostgreSQL) until commit:
    a concurrent delete either finished before (AlreadyDeleted) or waits for this write."""
    row = model.objects.select_for_update().filter(pk=pk).first()
    if row is None:
        raise AlreadyDeleted(GONE.get(model, "Запись уже удалена."), model=model)
    return row


def stored(model, row):
    """The row as stored, locked: what an update compares the posted values with and checks the right on.

    Not the object the view passes in: a ModelForm bound to it has already copied the posted values
    into it while validating, so comparing with it finds nothing changed and saves nothing."""
    return locked(model, row.pk)


def locked_all(model, rows) -> None:
    """Lock the chosen rows (e.g. a project's events); one of them deleted meanwhile is AlreadyDeleted."""
    pks = {row.pk for row in rows}
    if pks and len(list(model.objects.select_for_update().filter(pk__in=pks).values_list("pk", flat=True))) != len(pks):
        raise AlreadyDeleted(GONE.get(model, "Запись уже удалена.") + " Обновите страницу и выберите заново.",
                             model=model)


@contextmanager
def written_or_gone(*models, message: str = "Запись уже удалена: обновите страницу.", model=None):
    """Last resort around an insert whose referenced row nobody locked (deleted in the admin, by another app):
    Django creates foreign keys deferred, so they are checked right here, and a refusal of the database
    (IntegrityError) becomes AlreadyDeleted instead of a 500 at commit. Nothing of the block is kept."""
    try:
        with transaction.atomic():
            yield
            connection.check_constraints(table_names=[m._meta.db_table for m in models])
    except IntegrityError as exc:
        raise AlreadyDeleted(message, model=model) from exc
