from django.db import migrations

GROUPS = [
    ("subject", "Предметные", True),
    ("methodical", "Методические", True),
    ("psycho_pedagogical", "Психолого-педагогические", True),
    ("professional_personal", "Профессионально-личностные", True),
    ("ict", "ИКТ", False),
    ("communicative", "Коммуникативные", False),
]


def load(apps, schema_editor):
    CompetencyGroup = apps.get_model("diagnostics", "CompetencyGroup")
    for order, (code, name, in_roadmap) in enumerate(GROUPS, start=1):
        CompetencyGroup.objects.update_or_create(
            code=code, defaults={"name": name, "order": order, "in_roadmap": in_roadmap}
        )


class Migration(migrations.Migration):
    dependencies = [("diagnostics", "0001_initial")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
