"""The ИОМ workflow as one table: the «Transitions» of docs/spec/workflow.md, in code.

Each row is one transition: the states it starts from, the state it leads to, whose it is, what
the user gives with it, what it records, whom it tells, and the Russian words of its button, its
page, its refusals and its notifications. Everything else reads the table:

- routes.workflow.services: the route_* functions check the right, the state and the required inputs, write
  the transition log and notify through one helper that takes all of it from the row;
  `may`, `available_actions` and ALLOWED_FROM are read from it;
- routes.roadmap.views and routes.workflow.views: the buttons of the route page and the route-action
  page (title, help, danger, success);
- `manage.py workflow_table`: the spec's table (markdown_table); tests/routes/workflow/test_table.py
  checks that docs/spec/workflow.md holds exactly that output.

Whose a step is: the owner (the teacher whose ИОМ it is), the school review or the credit (the rule of
routes.selectors.reviews_q / may_review / route_reviewers), or the holders of a capability of
schools.access over the route's organisation.
"""

from dataclasses import dataclass
from typing import NamedTuple

from routes.models import Route
from routes.selectors import CREDIT, REVIEW
from schools.access import CAPABILITIES
from schools.models import Membership
from schools.timezones import local_today

Status = Route.Status
Role = Membership.Role

OWNER = "owner"  # who: the teacher whose ИОМ it is
SYSTEM = "system"  # who: the portal itself (a periodic task, routes.tasks), never a user
TEACHER = "teacher"  # a notice's recipients: the route's owner (REVIEW, CREDIT: the route's reviewers of the step)

# States from which a route is still being worked on: withdrawal starts from them, and a deficit stays
# «в работе» while a route in one of them addresses it.
LIVE = tuple(s for s in Status.values if s not in (Status.COMPLETED, Status.ARCHIVED, Status.WITHDRAWN))

# The refusal an owner hears when they try a review or credit step of their own route.
OWN_ROUTE_REFUSAL = {
    REVIEW: ("Свой ИОМ не согласуют и не проверяют сами: это делает директор школы, а если у директора "
             "нет учетной записи на портале, — методист муниципалитета."),
    CREDIT: "Свой ИОМ не зачитывают сами: зачет ставит другой методист.",
}


class Input(NamedTuple):
    """A value the user gives with the transition: a keyword of its service and a field of its form.

    The transition log keeps the `comment` or `reason` input as its comment.
    """

    name: str
    required: str = ""  # the refusal when it is empty; "" — optional, or checked by the service itself


class Notice(NamedTuple):
    """Whom the transition tells after commit, and what: `{comment}` is the logged comment (first 150
    characters), `{outcome}` the accepted outcome."""

    to: tuple[str, ...]  # TEACHER, REVIEW (the school reviewers), CREDIT (the credit reviewers)
    # `{ends_on}` in text: the route's end date after the transition
    text: str
    when: str = ""  # only when the transition leads to this state


@dataclass(frozen=True)
class TransitionRule:
    action: str
    sources: tuple[str, ...]
    target: str
    who: str  # OWNER, REVIEW, CREDIT, SYSTEM, or a capability of schools.access
    not_yours: str  # the refusal to whom the step does not belong; {who}: the route's school reviewer
    verb: str  # the state refusal: «<verb> нельзя: ИОМ в статусе …»
    title: str  # the heading of the action page
    button: str  # the button on the route page and the action page
    help: str  # under the heading; {who}, {to_whom}: the route's school reviewer (routes.services.school_reviewer)
    success: str  # the message after the transition
    records: str  # the spec's «records» column
    notices: tuple[Notice, ...] = ()
    inputs: tuple[Input, ...] = ()
    # approve: where the municipality needs no credit the route goes here instead of `target`
    target_without_credit: str = ""
    # return_results: where the route's period has ended (the school's date) the route goes here instead
    target_after_end: str = ""
    danger: bool = False  # a step back or out: a red button
    who_note: str = ""  # a condition the service checks besides the right, for the spec's «who» column

    def target_for(self, route: Route) -> str:
        if self.target_without_credit and not route.organisation.municipality.requires_credit:
            return self.target_without_credit
        if self.target_after_end and route.ends_on and route.ends_on < local_today(route.organisation):
            return self.target_after_end
        return self.target

    @property
    def capability(self) -> str | None:
        return None if self.who in (OWNER, REVIEW, CREDIT, SYSTEM) else self.who

    @property
    def logged_input(self) -> str | None:
        return next((i.name for i in self.inputs if i.name in ("comment", "reason")), None)


def _comment_required(message: str) -> tuple[Input, ...]:
    return (Input("comment", required=message),)


TRANSITIONS: tuple[TransitionRule, ...] = (
    TransitionRule(
        action="submit", sources=(Status.DRAFT, Status.RETURNED, Status.NOT_CREDITED), target=Status.SUBMITTED,
        who=OWNER,
        not_yours="Отправить ИОМ на согласование может только сам педагог, чей это ИОМ.",
        verb="Отправить на согласование",
        title="Отправить ИОМ на согласование", button="Отправить",
        help="Информационная карта будет зафиксирована на сегодня; ИОМ уйдет {to_whom}.",
        success="ИОМ отправлен на согласование.",
        records="information-card snapshot, time",
        notices=(Notice((REVIEW,), "ИОМ отправлен на согласование"),),
    ),
    TransitionRule(
        action="recall", sources=(Status.SUBMITTED,), target=Status.DRAFT,
        who=OWNER, who_note="before any review comment",
        not_yours="Отозвать ИОМ с согласования может только сам педагог, чей это ИОМ.",
        verb="Отозвать с согласования",
        title="Отозвать ИОМ с согласования", button="Отозвать",
        help="ИОМ вернется в черновик; это возможно, пока {who} не оставил комментариев.",
        success="ИОМ отозван и снова доступен для правки.",
        records="time",
        notices=(Notice((REVIEW,), "Педагог отозвал ИОМ с согласования"),),
    ),
    TransitionRule(
        action="return", sources=(Status.SUBMITTED,), target=Status.RETURNED,
        who=REVIEW, danger=True,
        not_yours="Вернуть ИОМ на доработку может {who}.",
        verb="Вернуть на доработку",
        title="Вернуть ИОМ на доработку", button="Вернуть на доработку",
        help="Напишите, что доработать; замечания к строкам оставьте на странице согласования.",
        success="ИОМ возвращен на доработку.",
        records="comment required",
        inputs=_comment_required("Укажите, что нужно доработать: комментарий обязателен."),
        notices=(Notice((TEACHER,), "ИОМ возвращен на доработку: {comment}"),),
    ),
    TransitionRule(
        action="approve", sources=(Status.SUBMITTED,), target=Status.AWAITING_CREDIT,
        target_without_credit=Status.IN_PROGRESS,
        who=REVIEW,
        not_yours="Согласовать ИОМ может {who}.",
        verb="Согласовать",
        title="Согласовать ИОМ", button="Согласовать",
        help="Оцените ИОМ по пяти критериям экспресс-экспертизы (0 — нет, 1 — частично, 2 — да).",
        success="ИОМ согласован.",
        records=("express-review scores (seed 002: resources adequate, short horizon, realistic goal, pedagogical "
                 "task understood, aimed at a concrete competency; each 0–2), comment (required when the sum is below the "
                 "municipality's express_review_minimum or «concrete competency» scores 0), approval date; "
                 "where no credit is needed the credit date too, equal to the approval date"),
        inputs=(Input("scores"), Input("comment")),
        notices=(
            Notice((TEACHER,), "ИОМ согласован и направлен на зачет", when=Status.AWAITING_CREDIT),
            Notice((CREDIT,), "ИОМ ожидает зачета", when=Status.AWAITING_CREDIT),
            Notice((TEACHER,), "ИОМ утвержден: можно приступать к реализации", when=Status.IN_PROGRESS),
        ),
    ),
    TransitionRule(
        action="credit", sources=(Status.AWAITING_CREDIT,), target=Status.IN_PROGRESS,
        who=CREDIT,
        not_yours="Зачесть ИОМ может методист, проверяющий ИОМ этого муниципалитета.",
        verb="Поставить зачет",
        title="Зачесть ИОМ", button="Зачет",
        help="ИОМ получит зачет с сегодняшней датой и перейдет к реализации.",
        success="ИОМ зачтен.",
        records="credit date",
        notices=(Notice((TEACHER, REVIEW), "ИОМ получил зачет"),),
    ),
    TransitionRule(
        action="refuse_credit", sources=(Status.AWAITING_CREDIT,), target=Status.NOT_CREDITED,
        who=CREDIT, danger=True,
        not_yours="Решение о зачете принимает методист, проверяющий ИОМ этого муниципалитета.",
        verb="Отказать в зачете",
        title="Отказать в зачете", button="Не зачтен",
        help="Укажите причину: педагог доработает ИОМ и отправит его снова.",
        success="ИОМ не зачтен, педагог получил комментарий.",
        records="comment required",
        inputs=_comment_required("Укажите причину: комментарий при отказе в зачете обязателен."),
        notices=(Notice((TEACHER, REVIEW), "ИОМ не зачтен: {comment}"),),
    ),
    TransitionRule(
        action="expire", sources=(Status.IN_PROGRESS,), target=Status.EXPIRED,
        who=SYSTEM, who_note="the day after the period ends (the school's date; routes.tasks.expire_routes, hourly)",
        not_yours="Срок реализации истекает сам: это делает портал на следующий день после окончания периода.",
        verb="Отметить истечение срока",
        title="Срок реализации истек", button="",
        help="", success="",
        records=("expiry date; the teacher and the school reviewers are notified, the municipal methodists after "
                 "ROUTE_EXPIRED_METHODIST_DAYS days (default 14) still in the state"),
        notices=(
            Notice((TEACHER,), "Срок реализации ИОМ истек: отметьте выполненное, укажите причины невыполненного "
                               "и отправьте итоги"),
            Notice((REVIEW,), "Срок реализации ИОМ истек: ждем итоги педагога; срок можно продлить один раз "
                              "или закрыть ИОМ как не реализованный"),
        ),
    ),
    TransitionRule(
        action="extend", sources=(Status.EXPIRED,), target=Status.IN_PROGRESS,
        who=REVIEW, who_note="once",
        not_yours="Продлить срок ИОМ может {who}.",
        verb="Продлить срок",
        title="Продлить срок реализации ИОМ", button="Продлить срок",
        help=("Срок продлевают один раз: укажите новую дату окончания (позже прежней, не больше пяти лет от начала) "
              "и причину. ИОМ вернется к реализации, продление останется в истории и в документе."),
        success="Срок реализации продлен, ИОМ снова реализуется.",
        records=("reason required, new end date after the old one, not in the past and at most five years from the "
                 "start (an amendment, logged: the old end date and the reason show on the route page)"),
        inputs=(Input("reason", required="Укажите причину продления срока."), Input("ends_on")),
        notices=(Notice((TEACHER,), "Срок реализации ИОМ продлен до {ends_on}: {comment}"),),
    ),
    TransitionRule(
        action="submit_results", sources=(Status.IN_PROGRESS, Status.EXPIRED), target=Status.RESULTS_SUBMITTED,
        who=OWNER,
        not_yours="Отправить итоги может только сам педагог, чей это ИОМ.",
        verb="Отправить итоги",
        title="Итоги реализации ИОМ", button="Отправить итоги",
        help=("Опишите итоги, оцените результат и повторите диагностику по дефицитам ИОМ; {who} примет итоги "
              "или вернет их."),
        success="Итоги отправлены.",
        records=("reflection text, outcome proposed; every activity done or explained (a «не выполнено» reason, "
                 "kept on the activity); the final diagnostics of each open deficit the route addressed (the "
                 "instrument's statements for its competency repeated, or an imported result of the period), "
                 "before/after scores kept on the route"),
        inputs=(Input("reflection", required="Напишите рефлексию: что удалось, что нет и почему."),
                Input("outcome_proposed"), Input("not_done_reasons"), Input("reassessment")),
        notices=(Notice((REVIEW,), "Педагог отправил итоги реализации ИОМ"),),
    ),
    TransitionRule(
        action="accept_results", sources=(Status.RESULTS_SUBMITTED,), target=Status.COMPLETED,
        who=REVIEW,
        not_yours="Принять итоги может {who}.",
        verb="Принять итоги",
        title="Принять итоги ИОМ", button="Принять итоги",
        help=("Укажите результат, комментарий и где представлены итоги; проверьте итоговую диагностику "
              "дефицитов: при необходимости поставьте свой балл."),
        success="Итоги приняты, ИОМ завершен.",
        records=("outcome (achieved fully / partly / not achieved; fully needs every activity done, or a comment "
                 "why), comment, date and place of presentation of results, completion date; the final diagnostics "
                 "applied (the reviewer's own score may replace the teacher's; one is needed per deficit): a "
                 "deficit at or above the threshold becomes «преодолен», else stays «в работе» for the next route"),
        inputs=(Input("outcome"), Input("comment"), Input("presented_on"), Input("presented_place"),
                Input("final_scores")),
        notices=(Notice((TEACHER,), "Итоги ИОМ приняты: {outcome}"),),
    ),
    TransitionRule(
        action="return_results", sources=(Status.RESULTS_SUBMITTED,), target=Status.IN_PROGRESS,
        target_after_end=Status.EXPIRED,
        who=REVIEW, danger=True,
        not_yours="Вернуть итоги может {who}.",
        verb="Вернуть итоги",
        title="Вернуть итоги на доработку", button="Вернуть итоги",
        help="Напишите, что доработать в итогах.",
        success="Итоги возвращены педагогу.",
        records="comment required",
        inputs=_comment_required("Укажите, что доработать в итогах: комментарий обязателен."),
        notices=(Notice((TEACHER,), "Итоги ИОМ возвращены: {comment}"),),
    ),
    TransitionRule(
        action="close_unrealised", sources=(Status.EXPIRED,), target=Status.COMPLETED,
        who=REVIEW, danger=True,
        not_yours="Закрыть ИОМ как не реализованный может {who}.",
        verb="Закрыть как не реализованный",
        title="Закрыть ИОМ как не реализованный", button="Закрыть как не реализованный",
        help=("ИОМ завершится с результатом «не достигнут». Напишите, почему он не реализован; "
              "невыполненные мероприятия и их причины — ниже."),
        success="ИОМ закрыт как не реализованный.",
        records="comment required; outcome «не достигнут», completion date",
        inputs=_comment_required("Напишите, почему ИОМ не реализован: комментарий обязателен."),
        notices=(Notice((TEACHER,), "ИОМ закрыт как не реализованный: {comment}"),),
    ),
    TransitionRule(
        action="archive", sources=(Status.COMPLETED,), target=Status.ARCHIVED,
        who="route.archive",
        not_yours="Перевести ИОМ в архив могут заместитель директора и методисты.",
        verb="Перевести в архив",
        title="Перевести ИОМ в архив", button="В архив",
        help="Завершенный ИОМ уйдет в архив.",
        success="ИОМ переведен в архив.",
        records="time",
        notices=(Notice((TEACHER,), "ИОМ переведен в архив"),),
    ),
    TransitionRule(
        action="withdraw", sources=LIVE, target=Status.WITHDRAWN,
        who="route.withdraw", danger=True,
        not_yours="Отозвать ИОМ могут заместитель директора, методисты и администратор.",
        verb="Отозвать ИОМ",
        title="Отозвать ИОМ", button="Отозвать ИОМ",
        help="ИОМ будет снят с работы (например, педагог уволился). Это необратимо.",
        success="ИОМ отозван.",
        records=("reason required (e.g. the teacher left); the route's deficits go back from «в работе» to "
                 "«выявлен» unless another route not completed, archived or withdrawn addresses them"),
        inputs=(Input("reason", required="Укажите причину отзыва ИОМ (например, педагог уволился)."),),
        notices=(Notice((TEACHER, REVIEW), "ИОМ отозван: {comment}"),),
    ),
)

ACTIONS: dict[str, TransitionRule] = {rule.action: rule for rule in TRANSITIONS}


# ---------------------------------------------------------------- the spec's table (manage.py workflow_table)


WHO_TEXT = {
    OWNER: "the teacher (owner)",
    REVIEW: ("deputy of the route's school; for a deputy's own route the director of the school, else the "
             "municipal methodist (never the owner)"),
    CREDIT: ("regional methodist of the region (or municipal methodist where the municipality credits itself), "
             "never the owner; where the owner is the only one, a methodist of the other level"),
    SYSTEM: "the system",
}
_ROLE_WORDS = {Role.ADMIN: "administrator"}


def _from_text(rule: TransitionRule) -> str:
    others = [s for s in Status.values if s not in rule.sources and s != rule.target]
    if len(others) < len(rule.sources):
        return "any but " + ", ".join(others)
    return ", ".join(rule.sources)


def _to_text(rule: TransitionRule) -> str:
    if rule.target_without_credit:
        return f"{rule.target}, or {rule.target_without_credit} where the municipality needs no credit"
    if rule.target_after_end:
        return f"{rule.target}, or {rule.target_after_end} where the period has ended"
    return rule.target


def _who_text(rule: TransitionRule) -> str:
    if rule.capability:
        roles = CAPABILITIES[rule.capability]
        text = ", ".join(_ROLE_WORDS.get(r, r.replace("_", " ")) for r in Role if r in roles)
        text += f" (`{rule.capability}`)"
    else:
        text = WHO_TEXT[rule.who]
    return f"{text}, {rule.who_note}" if rule.who_note else text


def markdown_table() -> str:
    """The transitions as the Markdown table of docs/spec/workflow.md (from | action | to | who | records)."""
    lines = ["| from | action | to | who | records |", "|---|---|---|---|---|"]
    for rule in TRANSITIONS:
        cells = [_from_text(rule), rule.action, _to_text(rule), _who_text(rule), rule.records]
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines) + "\n"
