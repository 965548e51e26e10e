"""The letterhead and the people of the demo municipalities' letters (schools.Municipality): the
city's are seed 001's (addressee Мирчук Тамара Владимировна, signatory О.В. Мартынова, executor
Левачева Таисия Ивановна); the district's are invented, plausible ones."""

from schools.models import Municipality

LETTERHEADS = {
    "город Минусинск": dict(
        centre_short_name="Центр",
        centre_address="662606, Красноярский край, г. Минусинск, ул. Гоголя, д. 66",
        centre_phone="(39132) 2-15-40", centre_email="cro@minusinsk.example.ru",
        head_name="Мартынова Ольга Викторовна", head_position="Директор Центра",
        executor_name="Левачева Таисия Ивановна", executor_phone="(39132) 3-47-05",
        addressee_position="Начальник управления образования администрации города Минусинска",
        addressee_name="Мирчук Тамара Владимировна",
    ),
    "Новоселовский район": dict(
        centre_short_name="ММЦ",
        centre_address="662430, Красноярский край, с. Новоселово, ул. Ленина, д. 12",
        centre_phone="(39147) 9-12-30", centre_email="mmc@novoselovo.example.ru",
        head_name="Глаголева Светлана Николаевна", head_position="Директор ММЦ",
        executor_name="Кравец Андрей Юрьевич", executor_phone="(39147) 9-12-34",
        addressee_position="Руководитель управления образования администрации Новоселовского района",
        addressee_name="Соколова Наталья Ильинична",
    ),
}


def load_demo_letterheads() -> int:
    """Fill the letterheads of the demo municipalities that exist; returns how many were filled."""
    filled = 0
    for name, fields in LETTERHEADS.items():
        filled += Municipality.objects.filter(name=name).update(**fields)
    return filled
