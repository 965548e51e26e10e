from django.db import migrations

# Seed 003's regional and federal indicators with the portal's built-in computations.
INDICATORS = [
    ("iom_share", "Доля педагогических работников, для которых разработаны ИОМ", "regional", "10.0",
     "ежегодно", "iom_share"),
    ("registry_courses_share",
     "Доля педагогических работников, освоивших программы ДПО, подобранные с учетом диагностики "
     "профессиональных дефицитов", "federal", "30.0", "к 2024 году", "registry_courses_share"),
    ("young_supported_share",
     "Доля педагогических работников в возрасте до 35 лет, участвующих в различных формах поддержки "
     "и сопровождения в первые 3 года работы", "federal", "70.0", "к 2024 году", "young_supported_share"),
    ("mentoring_schools_share", "Доля школ, реализующих целевую модель наставничества педагогических работников",
     "regional", "20.0", "ежегодно", "mentoring_schools_share"),
]


def load(apps, schema_editor):
    Indicator = apps.get_model("reports", "Indicator")
    for order, (code, name, level, target, period, computation) in enumerate(INDICATORS, start=1):
        Indicator.objects.update_or_create(
            code=code,
            defaults={"name": name, "level": level, "target": target, "unit": "%", "period": period,
                      "computation": computation, "order": order},
        )


class Migration(migrations.Migration):
    dependencies = [("reports", "0001_initial")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
