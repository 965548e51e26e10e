"""Cell cleaners: turn what a spreadsheet holds into Python values, or say in Russian what is wrong.

Each cleaner takes the raw cell (str from CSV; str, int, float, bool, date or datetime from
XLSX; None when empty) and returns a value, or raises CellError with the message shown to the
user. Empty cells never reach a cleaner: the engine handles required/optional first.
"""

import datetime as dt
import re

from django.core.exceptions import ValidationError
from django.core.validators import EmailValidator

from core.errors import DomainError

_FORMULA_START = ("=", "+", "-", "@")
_DATE_RE = re.compile(r"^(\d{1,2})\.(\d{1,2})\.(\d{4})$")
_YEAR_RE = re.compile(r"^(\d{4})\s*[-–—/]\s*(\d{4})$")
_YES = {"да", "yes", "true", "1"}
_NO = {"нет", "no", "false", "0"}
_email_validator = EmailValidator()


class CellError(DomainError, ValueError):
    """A value the cleaner cannot accept; str(exc) is the Russian message."""


def fold(value: str) -> str:
    """The form names are compared in: case, ё/е and runs of spaces do not matter."""
    return " ".join(value.replace("ё", "е").replace("Ё", "Е").split()).casefold()


def to_text(value) -> str:
    """Any cell as trimmed text with single spaces; 12.0 from Excel reads as "12"."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "да" if value else "нет"
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, dt.datetime):
        value = value.date()
    if isinstance(value, dt.date):
        return value.strftime("%d.%m.%Y")
    text = " ".join(str(value).split())
    # CSV exports (and XLSX exports made before text cells) prefix formula-like text with an apostrophe
    # (core.files.csv_safe).
    if len(text) > 1 and text[0] == "'" and text[1] in _FORMULA_START:
        text = text[1:]
    return text


def text(max_length: int | None = None):
    def clean(value) -> str:
        result = to_text(value)
        if max_length is not None and len(result) > max_length:
            raise CellError(f"слишком длинное значение: {len(result)} символов, допускается не больше {max_length}")
        return result

    return clean


def date(value) -> dt.date:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    raw = to_text(value)
    match = _DATE_RE.match(raw)
    if not match:
        raise CellError(f"ожидается дата в виде ДД.ММ.ГГГГ, указано «{raw}»")
    day, month, year = (int(part) for part in match.groups())
    try:
        result = dt.date(year, month, day)
    except ValueError:
        raise CellError(f"такой даты нет: «{raw}»") from None
    if not 1900 <= year <= 2100:
        raise CellError(f"проверьте год: «{raw}»")
    return result


def yes_no(value) -> bool:
    if isinstance(value, bool):
        return value
    raw = fold(to_text(value))
    if raw in _YES:
        return True
    if raw in _NO:
        return False
    raise CellError(f"ожидается «да» или «нет», указано «{to_text(value)}»")


def whole_number(minimum: int = 0, maximum: int = 100):
    def clean(value) -> int:
        if isinstance(value, float) and value.is_integer():
            value = int(value)
        raw = to_text(value)
        if not re.fullmatch(r"-?\d+", raw):
            raise CellError(f"ожидается целое число, указано «{raw}»")
        number = int(raw)
        if not minimum <= number <= maximum:
            raise CellError(f"ожидается число от {minimum} до {maximum}, указано {number}")
        return number

    return clean


def choice(options: dict[str, str]):
    """`options` maps the Russian label to the stored value; labels match ignoring case."""
    by_label = {fold(label): code for label, code in options.items()}
    allowed = " / ".join(options)

    def clean(value):
        raw = to_text(value)
        try:
            return by_label[fold(raw)]
        except KeyError:
            raise CellError(f"недопустимое значение «{raw}»; допустимы: {allowed}") from None

    return clean


def academic_year(value) -> str:
    raw = to_text(value)
    match = _YEAR_RE.match(raw)
    if not match or int(match.group(2)) != int(match.group(1)) + 1:
        raise CellError(f"учебный год указывается в виде 2022-2023, указано «{raw}»")
    return f"{match.group(1)}-{match.group(2)}"


def email(value) -> str:
    raw = to_text(value)
    try:
        _email_validator(raw)
    except ValidationError:
        raise CellError(f"неверный адрес электронной почты «{raw}»") from None
    return raw
