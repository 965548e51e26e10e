"""The parts of a letter every municipal document shares (seed 001): the letterhead of the methodical
centre, the addressee in the dative, the salutation, the date and outgoing number, the signatory and
the executor. Read from the municipality's letterhead (schools.Municipality, edited on its settings
page) and, for a letter to a school, from the director in its staff (schools.selectors.director_of).

A missing field never stops a document: the letter is built with what there is, and the order page
names the settings page (`letterhead_hints`); nothing about the gap is printed inside the letter.
"""

import datetime as dt
from dataclasses import dataclass, field

from django.urls import reverse

from core import declension
from core.dates import format_date
from core.words import upper_first
from schools.access import can, organisations_for
from schools.models import Municipality, Organisation
from schools.selectors import director_of

NUMBER_BLANK = "_" * 10


@dataclass
class Letterhead:
    centre: str  # the full name, as the letterhead prints it (capitals)
    contacts: str  # address, phone, e-mail in one line ('' when none)
    addressee: list[str]  # the addressee's lines in the dative: position, then the name with initials
    salutation: str
    date: str
    number: str  # the outgoing number, '' when not given
    signatory_position: str
    signatory: str  # «О.В. Мартынова»
    executor: str  # «Левачева Таисия Ивановна (886137) 3-47-05»
    missing: list[str] = field(default_factory=list)

    @property
    def date_and_number(self) -> str:
        """«05.12.2026 № 123»; with no number yet a blank the office fills in when it registers the
        signed letter (an outgoing letter is never sent without one)."""
        return f"{self.date} № {self.number or NUMBER_BLANK}"


def _contacts(m: Municipality) -> str:
    parts = [m.centre_address, f"тел. {m.centre_phone}" if m.centre_phone else "",
             f"e-mail: {m.centre_email}" if m.centre_email else ""]
    return ", ".join(p for p in parts if p)


def _signatory(m: Municipality) -> tuple[str, str]:
    return m.head_position, declension.initials_first(m.head_name) if m.head_name else ""


def _executor(m: Municipality) -> str:
    return " ".join(p for p in (m.executor_name, m.executor_phone) if p)  # as seed 001 writes it


def municipal_letterhead(m: Municipality, day: dt.date, number: str = "") -> Letterhead:
    """A letter of the methodical centre to the head of the education department."""
    position = declension.phrase(m.addressee_position, "datv") if m.addressee_position else \
        f"Начальнику управления образования ({m.name})"
    name = declension.with_initials(m.addressee_name, "datv") if m.addressee_name else ""
    signatory_position, signatory = _signatory(m)
    return Letterhead(
        centre=(m.methodical_centre or m.name).upper(), contacts=_contacts(m),
        addressee=[line for line in (position, name) if line],
        salutation=declension.salutation(m.addressee_name) if m.addressee_name else "Уважаемые коллеги!",
        date=format_date(day), number=number, signatory_position=signatory_position, signatory=signatory,
        executor=_executor(m), missing=m.letterhead_missing,
    )


def school_letterhead(organisation: Organisation, day: dt.date, number: str = "") -> Letterhead:
    """A letter of the methodical centre to the director of one organisation (the school audit)."""
    m = organisation.municipality
    director = director_of(organisation)
    position = declension.phrase(director.position, "datv") if director else "Директору"
    addressee = [f"{upper_first(position)} {declension.phrase(organisation.short_name, 'gent')}"]
    if director:
        addressee.append(declension.with_initials(director.full_name, "datv"))
    signatory_position, signatory = _signatory(m)
    missing = [f for f in m.letterhead_missing if f not in {"должность адресата писем", "адресат писем (ФИО)"}]
    if director is None:
        missing.append(f"директор в списке сотрудников ({organisation.short_name})")
    return Letterhead(
        centre=(m.methodical_centre or m.name).upper(), contacts=_contacts(m), addressee=addressee,
        salutation=declension.salutation(director.full_name) if director else "Уважаемый руководитель!",
        date=format_date(day), number=number, signatory_position=signatory_position, signatory=signatory,
        executor=_executor(m), missing=missing,
    )


@dataclass
class LetterheadHint:
    municipality: Municipality
    missing: list[str]
    url: str  # the settings page, '' when the user may not edit it (then the methodist is named)


def letterhead_hints(user, limit: int = 5) -> list[LetterheadHint]:
    """The municipalities of the user's reports whose letterhead lacks what a letter needs: the order
    page names them and their settings page."""
    ids = organisations_for(user, "report.school").values("municipality_id")
    hints = []
    for m in Municipality.objects.filter(pk__in=ids).order_by("name")[:50]:
        if m.letterhead_missing:
            url = reverse("municipality_letterhead", args=[m.pk]) if can(user, "municipality.letterhead", m) else ""
            hints.append(LetterheadHint(m, m.letterhead_missing, url))
        if len(hints) >= limit:
            break
    return hints
