"""Russian declension for the documents: people's names (petrovich), organisation names and
positions (pymorphy3).

Cases are named as pymorphy3 names them: "nomn" (кто), "gent" (кого/чего), "datv" (кому/чему),
"loct" (о ком/в чем). What is not a Russian word is left as it is: abbreviations (МБОУ, СОШ,
МБОУ-СОШ), numbers and «№», quoted names («Солнышко»), Latin words.

A phrase (an organisation's name, a position) is declined up to and including its head, the first
noun or head abbreviation; what follows the head is already in its own case («управления
образования», «№ 2», «имени А.С. Пушкина») and stays as written.
"""

import re
from functools import lru_cache

CASES = ("nomn", "gent", "datv", "loct", "loc2")  # loc2: after «в» («в детском саду»)

# Abbreviations that are the head of a school's name: the adjectives before them agree with
# «школа» / «гимназия» / «учреждение» (their gender), and nothing after them is declined.
HEAD_ABBREVIATIONS = {
    "СОШ": "femn", "ООШ": "femn", "НОШ": "femn", "СШ": "femn", "ОШ": "femn", "ЦО": "masc", "ЦДТ": "masc",
    "ДОУ": "neut", "ДОО": "femn", "ДШИ": "femn", "ДЮСШ": "femn", "ЦРО": "masc", "ММЦ": "masc", "УДО": "neut",
}


@lru_cache(maxsize=1)
def _morph():
    import pymorphy3  # loaded on first use: the dictionaries take a moment and most requests never decline

    return pymorphy3.MorphAnalyzer()


@lru_cache(maxsize=1)
def _petrovich():
    from petrovich.main import Petrovich

    return Petrovich()


# --------------------------------------------------------------------------- people


def gender_of(middle_name: str = "", first_name: str = "", last_name: str = "") -> str | None:
    """'female' / 'male' from the patronymic (-вна, -чна / -вич, -ич, оглы, кызы); without one, from the
    first name's ending (-а, -я: female, except a few male names); with initials only, from a surname
    that tells (-ова, -ина, -ая / -ов, -ин, -ий); None when nothing tells."""
    m = middle_name.strip().lower()
    if m.endswith(("вна", "чна", "кызы", "гызы")):
        return "female"
    if m.endswith(("вич", "ич", "оглы", "улы")):
        return "male"
    f = first_name.strip().lower()
    if f:
        if f in {"илья", "никита", "кузьма", "фома", "лука", "савва", "данила", "гаврила", "миша", "саша", "женя"}:
            return "male"
        if not _is_initial(f):
            return "female" if f.endswith(("а", "я")) else "male"
    s = last_name.strip().lower()
    if s.endswith(("ова", "ева", "ёва", "ина", "ына", "ая")):
        return "female"
    if s.endswith(("ов", "ев", "ёв", "ин", "ын", "ий", "ый", "ой")):
        return "male"
    return None


def split_name(full_name: str) -> tuple[str, str, str]:
    """«Мирчук Тамара Владимировна» → ("Мирчук", "Тамара", "Владимировна"); «Мирчук Т.В.» → initials kept."""
    parts = full_name.replace(".", ". ").split()
    if not parts:
        return "", "", ""
    last, rest = parts[0], parts[1:]
    first = rest[0] if rest else ""
    middle = " ".join(rest[1:]) if len(rest) > 1 else ""
    return last, first.strip(), middle.strip()


def _is_initial(word: str) -> bool:
    return len(word.rstrip(".")) <= 1


def person(last: str, first: str = "", middle: str = "", case: str = "nomn", gender: str | None = None) -> tuple[str, str, str]:
    """The three parts of a person's name in the case; initials stay initials. When nothing tells
    the gender («Мирчук Т.В.»), the name stays as written: a wrong ending is worse than none."""
    if case == "nomn":
        return last, first, middle
    from petrovich.enums import Case, Gender

    gender = gender or gender_of(middle, first, last)
    if gender is None:
        return last, first, middle
    g = Gender.FEMALE if gender == "female" else Gender.MALE
    c = {"gent": Case.GENITIVE, "datv": Case.DATIVE, "loct": Case.PREPOSITIONAL}[case]
    p = _petrovich()

    def each(word: str, fn) -> str:
        if not word or _is_initial(word):
            return word
        # a double surname declines part by part (Петров-Водкин)
        return "-".join(fn(part, c, g) for part in word.split("-"))

    return each(last, p.lastname), each(first, p.firstname), each(middle, p.middlename)


def _initials_of(first: str, middle: str) -> str:
    return "".join(f"{w[0].upper()}." for w in (first, middle) if w)


def full_name(name: str, case: str = "nomn") -> str:
    """«Мирчук Тамара Владимировна», case datv → «Мирчук Тамаре Владимировне»."""
    return " ".join(w for w in person(*split_name(name), case=case) if w)


def with_initials(name: str, case: str = "nomn") -> str:
    """«Мирчук Тамара Владимировна», datv → «Мирчук Т.В.» (the surname declined: «Иванову И.И.»)."""
    last, first, middle = split_name(name)
    declined = person(last, first, middle, case=case)[0]
    initials = _initials_of(first, middle)
    return f"{declined} {initials}".strip()


def initials_first(name: str) -> str:
    """«Мартынова Ольга Викторовна» → «О.В. Мартынова» (the signature's form)."""
    last, first, middle = split_name(name)
    initials = _initials_of(first, middle)
    return f"{initials} {last}".strip()


def name_and_patronymic(name: str) -> str:
    """«Мирчук Тамара Владимировна» → «Тамара Владимировна» (the salutation's form)."""
    _last, first, middle = split_name(name)
    return " ".join(w for w in (first, middle) if w and not _is_initial(w))


def salutation(name: str) -> str:
    """«Уважаемая Тамара Владимировна!»; without a first name and patronymic, «Уважаемый коллега!»."""
    _last, first, middle = split_name(name)
    addressed = name_and_patronymic(name)
    if not addressed:
        return "Уважаемые коллеги!"
    return f"{'Уважаемая' if gender_of(middle, first) == 'female' else 'Уважаемый'} {addressed}!"


# --------------------------------------------------------------------------- phrases: organisations, positions

_TOKEN = re.compile(r"«[^»]*»|\"[^\"]*\"|\S+")


def _keep_as_is(word: str) -> bool:
    bare = word.strip(",.;:()")
    if not bare or any(ch.isdigit() for ch in bare) or bare in {"№", "-", "—", "–"}:
        return True
    if not re.fullmatch(r"[А-Яа-яЁё-]+", bare):  # Latin, quotes, symbols
        return True
    letters = bare.replace("-", "")
    return len(letters) > 1 and letters.isupper()  # an abbreviation: МБОУ, СОШ, МБОУ-СОШ


def _match_case(original: str, word: str) -> str:
    if "ё" not in original.lower():
        word = word.replace("ё", "е").replace("Ё", "Е")  # pymorphy3 restores ё; the name is written without it
    if original.isupper() and len(original) > 1:
        return word.upper()
    if original[:1].isupper():
        return word[:1].upper() + word[1:]
    return word


def _inflect(word: str, case: str, *, want: str, gender: str | None = None) -> tuple[str, str | None]:
    """The word in the case, as an adjective ("ADJF") or a noun ("NOUN"); with its gender (for
    the adjectives before the head). The word unchanged when pymorphy3 cannot inflect it."""
    parses = [p for p in _morph().parse(word) if p.tag.POS == want and "nomn" in p.tag]
    if not parses:
        return word, None
    p = parses[0]
    tags = {case}
    if want == "ADJF" and gender and "sing" in p.tag:
        tags.add(gender)
    if want == "ADJF" and "plur" in p.tag:
        tags.add("plur")
    form = p.inflect(tags)
    if form is None and case == "loc2":  # «в саду», but «в лицее»: the second locative where the word has one
        form = p.inflect((tags - {"loc2"}) | {"loct"})
    if form is None:
        return word, p.tag.gender
    return _match_case(word, form.word), p.tag.gender


def phrase(text: str, case: str) -> str:
    """An organisation's name or a position in the case: «МБОУ Дивненская СОШ №2» → (loct)
    «МБОУ Дивненской СОШ №2»; «Начальник управления образования» → (datv) «Начальнику управления
    образования». Declines up to the head (the first noun or head abbreviation), keeps the rest."""
    if case == "nomn" or not text:
        return text
    tokens = _TOKEN.findall(text)
    out: list[str] = []
    pending: list[int] = []  # indices of adjectives before the head: they agree with its gender
    head_gender: str | None = None
    done = False
    for token in tokens:
        if done:
            out.append(token)
            continue
        bare = token.strip(",.;:()")
        if bare in HEAD_ABBREVIATIONS:
            head_gender = HEAD_ABBREVIATIONS[bare]
            out.append(token)
            done = True
            continue
        if _keep_as_is(token):
            out.append(token)
            if pending and (token.startswith(("«", '"')) or any(ch.isdigit() for ch in token)):
                done = True  # «МБОУ "Гимназия"»: a quoted name or a number ends the declinable part
            continue
        morph = _morph().parse(bare.lower())
        pos = {p.tag.POS for p in morph if "nomn" in p.tag}
        if "ADJF" in pos or "PRTF" in pos:
            pending.append(len(out))
            out.append(token)
            continue
        if "NOUN" in pos:
            word, head_gender = _inflect(bare, case, want="NOUN")
            out.append(token.replace(bare, word))
            done = True
            continue
        out.append(token)
    if head_gender is not None or pending:
        for i in pending:
            bare = out[i].strip(",.;:()")
            want = "ADJF" if any(p.tag.POS == "ADJF" for p in _morph().parse(bare.lower())) else "PRTF"
            word, _g = _inflect(bare, "loct" if case == "loc2" else case, want=want, gender=head_gender)
            out[i] = out[i].replace(bare, word)
    return " ".join(out)


def in_organisation(name: str) -> str:
    """«в МБОУ Дивненской СОШ №2» (and «во» before в/ф + consonant: «во Второй…»)."""
    declined = phrase(name, "loc2")
    first = declined[:2].lower()
    prep = "во" if len(first) == 2 and first[0] in "вф" and first[1] not in "аеёиоуыэюя" else "в"
    return f"{prep} {declined}"


def in_organisations(names: list[str]) -> str:
    """«в МБОУ Дивненской СОШ №2, МБОУ Легостаевской ООШ»: one preposition for the list, each name declined."""
    if not names:
        return ""
    first = in_organisation(names[0])
    return ", ".join([first, *(phrase(n, "loc2") for n in names[1:])])
