"""Demo diagnostics: the first link of every demo route's chain, made through the diagnostics services.

Every route of the demo starts from a diagnostic result taken before it (an imported test, an observed
lesson, a case analysis… — the instrument that measures the route's theme): the scores below the
instrument's threshold become deficits (diagnostics.services.refresh_deficits), the route addresses them
(its deficits and one task per deficit), and a completed route's final diagnostics closes those it overcame
(a later result at or above the threshold, the same service): all of them for «достигнут полностью», the
first for «частично», none for «не достигнут» — those stay open for the next route.

Deterministic: the values come from the person's and the route's ids, never from a clock or `random`.
"""

import datetime as dt
from dataclasses import dataclass

from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from diagnostics.models import Assessment, Competency, Deficit, Instrument, Score
from diagnostics.services import assessment_store_external
from schools.models import StaffMember


@dataclass(frozen=True)
class Theme:
    topic: str
    goal: str
    codes: tuple[str, ...]  # the competencies whose deficits the route addresses
    instrument: str  # the diagnostics that found them


THEMES = [
    Theme("Формирование функциональной грамотности на уроках",
          "Освоить приемы формирования функциональной грамотности и включить их в уроки", ("П3", "М2"),
          "Диагностика функциональной грамотности педагогов"),
    Theme("Объективность оценивания образовательных результатов",
          "Применять единые критерии и формирующее оценивание", ("М4", "М3"),
          "Предметно-методическое тестирование (ЦНППМ)"),
    Theme("Анализ результатов ВПР и ГИА для коррекции обучения",
          "Строить коррекцию обучения по результатам оценочных процедур", ("М5", "П4"),
          "Предметно-методическое тестирование (ЦНППМ)"),
    Theme("Обучение детей с ОВЗ в инклюзивном классе",
          "Разрабатывать адаптированные задания и учитывать особенности обучающихся с ОВЗ", ("ПП2", "ПП1"),
          "Анализ конкретных ситуаций (кейсы)"),
    Theme("Цифровые образовательные ресурсы на уроке",
          "Включать ресурсы ФГИС «Моя школа» в уроки и смешанное обучение", ("ИКТ1", "ИКТ2"),
          "Экспертная оценка открытого урока"),
    Theme("Современный урок: проектирование и самоанализ",
          "Проектировать уроки в деятельностном подходе и анализировать их", ("М1", "М6"),
          "Наблюдение урока заместителем директора"),
    Theme("Индивидуализация обучения и учебная мотивация",
          "Выстраивать индивидуальные траектории и поддерживать мотивацию обучающихся", ("М7", "ПП6"),
          "Наблюдение урока заместителем директора"),
    Theme("Классное руководство и работа с родителями",
          "Спланировать воспитательную работу класса и систему взаимодействия с семьями", ("ПП3", "ПП4"),
          "Опрос «360 градусов» (коллеги, обучающиеся, родители)"),
    Theme("Обобщение и представление педагогического опыта",
          "Описать и представить свой опыт профессиональному сообществу", ("ПЛ3", "К3"),
          "Собеседование с педагогом"),
    Theme("Рабочая программа по ФОП и документация педагога",
          "Разработать рабочую программу по ФОП и контрольно-оценочные материалы к ней", ("П2", "М3"),
          "Анализ документации педагога"),
    Theme("Безопасная образовательная среда и профилактика",
          "Создавать безопасную среду и предупреждать конфликты в классе", ("ПП5", "К1"),
          "Анализ конкретных ситуаций (кейсы)"),
    Theme("Наставничество и работа в профессиональном сообществе",
          "Освоить роль наставника и работу в команде педагогов", ("ПЛ4", "К2"),
          "Опрос «360 градусов» (коллеги, обучающиеся, родители)"),
]
PRESCHOOL_THEME = Theme("Развитие речи дошкольников в игровой деятельности",
                        "Освоить игровые приемы развития связной речи детей 5–7 лет", ("ПП1", "К1"),
                        "Анализ конкретных ситуаций (кейсы)")
EXTRA_THEME = Theme("Проектная деятельность в объединениях дополнительного образования",
                    "Организовать проектную работу обучающихся объединения", ("М6", "ПЛ3"),
                    "Экспертная оценка открытого урока")


def theme_of(topic: str) -> Theme:
    """The theme of a topic (the demo's own list); an unknown topic is diagnosed as a lesson is."""
    for theme in [*THEMES, PRESCHOOL_THEME, EXTRA_THEME]:
        if theme.topic == topic:
            return theme
    return THEMES[5]


class Diagnostics:
    """Instruments and competencies read once. `diagnose_many` and `final_many` write, in bulk, exactly the
    rows diagnostics.services.assessment_store_external leaves for an imported result (the assessment, its
    scores, a deficit per score below the threshold, an open deficit closed by a score at or above it), so
    hundreds of past routes load in seconds; `diagnose` is the service itself, for one person."""

    def __init__(self):
        self.instruments = {i.name: i for i in Instrument.objects.prefetch_related("competencies")}
        self.competencies = {c.code: c for c in Competency.objects.select_related("group__roadmap_section")}

    def scores(self, person: StaffMember, theme: Theme, salt: int = 0) -> tuple[Instrument, dict[Competency, int]]:
        """Below the threshold on the theme's competencies (and, for some people, one more the instrument
        measures), above it elsewhere."""
        instrument = self.instruments[theme.instrument]
        measured = sorted((self.competencies[c.code] for c in instrument.competencies.all()), key=lambda c: c.code)
        codes = set(theme.codes)
        others = [c for c in measured if c.code not in codes]
        if others and (person.pk + salt) % 3 == 0:
            codes.add(others[(person.pk + salt) % len(others)].code)
        k = person.pk * 7 + salt
        return instrument, {c: (instrument.threshold - 8 - (k + j * 5) % 22 if c.code in codes
                                else instrument.threshold + 6 + (k + j * 11) % 28)
                            for j, c in enumerate(measured)}

    def diagnose(self, person: StaffMember, theme: Theme, taken_on: dt.date, salt: int = 0) -> list[Deficit]:
        """Through the service: the person's open deficits of the result's low competencies."""
        instrument, scores = self.scores(person, theme, salt)
        assessment_store_external(person=person, instrument=instrument, taken_on=taken_on, scores=scores)
        low = [c.pk for c, v in scores.items() if v < instrument.threshold]
        return list(Deficit.objects.filter(person=person, competency_id__in=low, status__in=Deficit.OPEN_STATUSES)
                    .select_related("competency__group__roadmap_section", "source_score__assessment__instrument")
                    .order_by("competency__group__order", "competency__order"))

    def _store(self, rows: list[tuple[StaffMember, Instrument, dt.date, dict[Competency, int]]]) -> list[list[Score]]:
        assessments = Assessment.objects.bulk_create(
            Assessment(person=person, instrument=instrument, taken_on=taken_on, source=Assessment.Source.IMPORT)
            for person, instrument, taken_on, _scores in rows)
        scores = [[Score(assessment=a, competency=c, value=v) for c, v in row[3].items()]
                  for a, row in zip(assessments, rows, strict=True)]
        Score.objects.bulk_create([s for group in scores for s in group])
        return scores

    def diagnose_many(self, items: list[tuple[StaffMember, Theme, dt.date]]) -> list[list[Deficit]]:
        """The imported results of people with no diagnostics yet: their new deficits, per item."""
        rows = []
        for person, theme, taken_on in items:
            instrument, scores = self.scores(person, theme)
            rows.append((person, instrument, taken_on, scores))
        stored = self._store(rows)
        deficits = [[Deficit(person=row[0], competency=s.competency, source_score=s, detected_on=row[2])
                     for s in group if s.value < row[1].threshold] for row, group in zip(rows, stored, strict=True)]
        bulk_create_with_history([d for group in deficits for d in group], Deficit)
        for group in deficits:
            group.sort(key=lambda d: (d.competency.group.order, d.competency.order))
        return deficits

    def final_many(self, items: list[tuple[StaffMember, list[Deficit], dt.date, int]]) -> None:
        """The final diagnostics of completed routes: the first `overcome` deficits of each at or above the
        threshold (closed by that score, on that day), the rest still below (they stay open)."""
        rows, owners = [], []
        for person, deficits, taken_on, overcome in items:
            by_instrument: dict[Instrument, dict[Competency, int]] = {}
            for j, deficit in enumerate(deficits):
                instrument = deficit.source_score.assessment.instrument
                value = instrument.threshold + 4 + (person.pk + j * 9) % 25 if j < overcome \
                    else instrument.threshold - 3 - (person.pk + j) % 10
                by_instrument.setdefault(instrument, {})[deficit.competency] = value
            for instrument, scores in by_instrument.items():
                rows.append((person, instrument, taken_on, scores))
                owners.append({d.competency_id: d for d in deficits})
        closed = []
        for row, group, deficits in zip(rows, self._store(rows), owners, strict=True):
            for score in group:
                deficit = deficits[score.competency_id]
                if score.value >= row[1].threshold and deficit.is_open:
                    deficit.status, deficit.closed_on, deficit.closed_by_score = \
                        Deficit.Status.OVERCOME, row[2], score
                    closed.append(deficit)
        bulk_update_with_history(closed, Deficit, ["status", "closed_on", "closed_by_score"])


def overcome_count(outcome: str, deficits: int) -> int:
    """How many of a completed route's deficits its final diagnostics closes, by the accepted outcome."""
    return {"full": deficits, "partial": min(1, deficits)}.get(outcome, 0)
