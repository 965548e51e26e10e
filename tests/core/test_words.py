import pytest
from django.template import Context, Template

from core.words import activity_title, count, plural, position_label, quote, sentence, shorten


@pytest.mark.parametrize(("n", "word"), [
    (0, "лет"), (1, "год"), (2, "года"), (5, "лет"), (11, "лет"), (12, "лет"), (14, "лет"),
    (21, "год"), (22, "года"), (25, "лет"), (111, "лет"), (101, "год"), (1004, "года"),
])
def test_plural_follows_the_last_two_digits(n, word):
    assert plural(n, "год", "года", "лет") == word


def test_count_and_the_template_filters_say_the_same():
    assert count(21, "педагог", "педагога", "педагогов") == "21 педагог"
    rendered = Template('{% load portal %}{{ n|count:"год,года,лет" }} / {{ m|plural:"год,года,лет" }}').render(
        Context({"n": 14, "m": 3}))
    assert rendered == "14 лет / года"


@pytest.mark.parametrize(("kind", "title", "shown"), [
    ("Семинар-практикум", "Семинар-практикум «Проектирование ИОМ педагога»", "семинар-практикум «Проектирование ИОМ педагога»"),
    ("Семинар-практикум", "Проектирование ИОМ педагога", "семинар-практикум «Проектирование ИОМ педагога»"),
    ("Курсы повышения квалификации (КПК)", "КПК «Профессиональная самооценка педагога»", "КПК «Профессиональная самооценка педагога»"),
    ("Курсы повышения квалификации (КПК)", "курсы повышения квалификации: работа с обучающимися с овз",
     "курсы повышения квалификации: работа с обучающимися с ОВЗ"),
    ("Заседание ШМО", "Заседание ШМО: защита ИОМ педагогов", "заседание ШМО: защита ИОМ педагогов"),
    ("Заседание РМО/ШМО", "Заседание ШМО учителей математики", "заседание ШМО учителей математики"),
    ("Семинар", "Обсуждение проекта «ИОМ в действии»", "семинар «Обсуждение проекта „ИОМ в действии“»"),
    ("Вебинар", "", "вебинар"),
])
def test_activity_title_names_the_kind_once_keeps_capitals_and_never_nests_quotes(kind, title, shown):
    assert activity_title(kind, title) == shown
    assert activity_title(kind, title, start=True) == shown[0].upper() + shown[1:]
    assert "««" not in shown and "»»" not in shown


def test_quote_turns_inner_quotes_into_lower_ones():
    assert quote("Проект «ИОМ в действии»") == "«Проект „ИОМ в действии“»"
    assert quote("«Уже в кавычках»") == "«Уже в кавычках»"


def test_shorten_cuts_at_a_word_and_ends_with_an_ellipsis():
    text = "Уточните номер удостоверения и перенесите срок на март и утвердите план"
    short = shorten(text, 40)
    assert short == "Уточните номер удостоверения и…"
    assert len(short) <= 40
    assert shorten("коротко", 40) == "коротко"
    assert shorten("Одно_очень_длинное_слово_без_пробелов", 10) == "Одно_очен…"


def test_sentence_never_doubles_the_full_stop():
    assert sentence("Отметку поставила Соловьева О.В.") == "Отметку поставила Соловьева О.В."
    assert sentence("Готово") == "Готово."


@pytest.mark.parametrize(("position", "subject", "label"), [
    ("учитель (математика)", "математика", "учитель (математика)"),
    ("учитель математики", "математика", "учитель математики"),
    ("учитель русского языка", "русский язык", "учитель русского языка"),
    ("учитель", "физика", "учитель, физика"),
    ("педагог-психолог", "", "педагог-психолог"),
])
def test_position_label_names_the_subject_once(position, subject, label):
    assert position_label(position, subject) == label
