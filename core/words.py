"""The words the portal writes: Russian plurals, quotes, activity titles, shortened texts.

Every page, e-mail, notification and document composes these through here, so a rule
(«1 год», «5 лет», one pair of «» with „“ inside, abbreviations in capitals, an ellipsis at a
word boundary) is written once. docs/glossary.md names the terms themselves.
"""

import re

# Abbreviations that stay in capitals whatever case the text around them is put in.
ABBREVIATIONS = (
    "ИОМ", "ШМО", "РМО", "КПК", "ОВЗ", "ММЦ", "ОО", "ДОО", "УДО", "ВПР", "ГИА", "ОГЭ", "ЕГЭ", "ФГОС",
    "ДПП", "ГМФ", "ЦНППМ", "ИКТ", "ЦОР", "ЭОР", "ООП", "УВР", "МО",
)
_ABBREVIATION_RE = re.compile(r"(?<![\w-])(" + "|".join(ABBREVIATIONS) + r")(?![\w-])", re.IGNORECASE)
_QUOTES = "«»„“”\"'"
ELLIPSIS = "…"


def plural(n: int, one: str, few: str, many: str) -> str:
    """The form of a word after the number n: plural(1, "год", "года", "лет") → "год", 2 → "года", 5 → "лет"."""
    n = abs(int(n))
    if n % 10 == 1 and n % 100 != 11:
        return one
    if 2 <= n % 10 <= 4 and not 12 <= n % 100 <= 14:
        return few
    return many


def count(n: int, one: str, few: str, many: str) -> str:
    """The number with its word: count(21, "год", "года", "лет") → "21 год"."""
    return f"{n} {plural(n, one, few, many)}"


def years(n: int) -> str:
    return count(n, "год", "года", "лет")


def keep_abbreviations(text: str) -> str:
    """Known abbreviations back in capitals: «с овз» → «с ОВЗ», «кпк» → «КПК»."""
    return _ABBREVIATION_RE.sub(lambda m: m.group(1).upper(), text)


def _is_abbreviation(word: str) -> bool:
    letters = [c for c in word if c.isalpha()]
    return len(letters) >= 2 and all(c.isupper() for c in letters)


def lower_first(text: str) -> str:
    """The text as the middle of a sentence: the first letter small, unless the first word is an
    abbreviation («КПК …» stays, «Семинар-практикум» → «семинар-практикум»)."""
    text = text.strip()
    if not text or _is_abbreviation(text.split()[0]):
        return text
    return text[0].lower() + text[1:]


def upper_first(text: str) -> str:
    text = text.strip()
    return text[:1].upper() + text[1:]


def quote(text: str) -> str:
    """«text», with quotes inside it turned into „“ so that quotes never nest as «« »»."""
    text = (text or "").strip()
    if len(text) >= 2 and text[0] == "«" and text[-1] == "»" and text.count("«") == 1:
        text = text[1:-1]
    inner = text.replace("«", "„").replace("»", "“")
    return f"«{inner}»"


def _normal(text: str) -> str:
    text = "".join(" " if c in _QUOTES else c for c in text.lower().replace("ё", "е"))
    return " ".join(text.split())


def _kind_names(kind: str) -> list[str]:
    """The ways a title may already name a kind: «Курсы повышения квалификации (КПК)» is also
    «курсы повышения квалификации» and «КПК»; «Заседание РМО/ШМО» is «заседание РМО» and «заседание ШМО»."""
    names = {kind}
    if match := re.fullmatch(r"(.*?)\s*\(([^)]*)\)\s*", kind):
        names |= {match.group(1), match.group(2)}
    for name in list(names):
        if match := re.fullmatch(r"(.*\s)?(\S+)/(\S+)", name):
            head = match.group(1) or ""
            names |= {head + match.group(2), head + match.group(3)}
    return [n for n in (_normal(name) for name in names) if n]


def names_kind(title: str, kind: str) -> bool:
    """Whether the title already says its kind (case-insensitive, quotes ignored, whole words)."""
    normal = _normal(title)
    return any(re.search(rf"(?<![\w]){re.escape(name)}(?![\w])", normal) for name in _kind_names(kind))


def activity_title(kind: str, title: str, *, start: bool = False) -> str:
    """An activity's or event's display title: «семинар-практикум «Проектирование ИОМ педагога»».

    The kind is left out when the title already names it («КПК «Профессиональная самооценка
    педагога»» stays as it is); abbreviations stay in capitals; quotes never nest. `start` capitalises
    the first letter, for a title that opens a sentence or a cell.
    """
    title = keep_abbreviations(" ".join((title or "").split()))
    kind = keep_abbreviations(" ".join((kind or "").split()))
    if not kind:
        text = title
    elif not title:
        text = kind
    elif names_kind(title, kind):
        text = title
    else:
        text = f"{kind} {quote(upper_first(title))}"
    return upper_first(text) if start else lower_first(text)


def shorten(text: str, limit: int) -> str:
    """The text in at most `limit` characters, cut at a word boundary and ended with «…»."""
    text = " ".join((text or "").split())
    if len(text) <= limit:
        return text
    cut = text[: max(limit - 1, 1)]
    if text[len(cut)].isalnum() and " " in cut:  # mid-word: step back to the last whole word
        cut = cut.rsplit(" ", 1)[0]
    return cut.rstrip(" ,;:—–-.") + ELLIPSIS


def sentence(text: str) -> str:
    """The text as a sentence: a capital first letter, ended by one full stop (no second one after initials
    «Соловьева О.В.» or an ellipsis)."""
    text = text.rstrip()
    text = text[:1].upper() + text[1:]
    return text if text.endswith((".", ELLIPSIS, "!", "?")) else text + "."


def _names_subject(position: str, subject: str) -> bool:
    """«учитель математики» names «математика»: every word of the subject, less its ending, is in the position."""
    position = _normal(position)
    return all(word[: max(3, len(word) - 3)] in position for word in _normal(subject).split())


def position_label(position: str, subject: str = "") -> str:
    """«учитель (математика)», «учитель, математика»: the subject only when the position does not name it."""
    position = " ".join((position or "").split())
    subject = " ".join((subject or "").split())
    if not subject or _names_subject(position, subject):
        return position
    return f"{position}, {subject}" if position else subject


def enumeration(items: list[str], conjunction: str = "и") -> str:
    """«A», «A и B», «A, B и C»: a list inside a sentence."""
    items = [i for i in items if i]
    if len(items) <= 1:
        return "".join(items)
    return f"{', '.join(items[:-1])} {conjunction} {items[-1]}"
