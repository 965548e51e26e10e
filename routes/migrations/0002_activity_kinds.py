from django.db import migrations

KINDS = [
    ("course", "Курсы повышения квалификации (КПК)"),
    ("seminar", "Семинар"),
    ("webinar", "Вебинар"),
    ("conference", "Конференция"),
    ("rmo", "Заседание РМО/ШМО"),
    ("self_education", "Самообразование"),
    ("open_lesson", "Открытый урок"),
    ("master_class", "Мастер-класс"),
    ("experience", "Представление опыта"),
    ("contest", "Конкурс профессионального мастерства"),
    ("olympiad", "Олимпиада для педагогов"),
    ("publication", "Публикация"),
    ("mentoring", "Наставничество"),
    ("expert", "Экспертная деятельность"),
    ("attestation", "Аттестация"),
    ("internship", "Стажировка"),
    ("other", "Иное"),
]


def load(apps, schema_editor):
    ActivityKind = apps.get_model("routes", "ActivityKind")
    for order, (code, name) in enumerate(KINDS, start=1):
        ActivityKind.objects.update_or_create(code=code, defaults={"name": name, "order": order})


class Migration(migrations.Migration):
    dependencies = [("routes", "0001_initial")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
