"""A school may explicitly allow young specialists to be mentors (methodics.mentoring.services.pair_start)."""

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ("schools", "0003_region_time_zone"),
    ]

    operations = [
        migrations.AddField(
            model_name="organisation",
            name="young_mentors_allowed",
            field=models.BooleanField(
                default=False,
                help_text="Без этой отметки наставником не может быть молодой специалист (моложе 35 лет и со стажем "
                          "меньше 3 лет).",
                verbose_name="Разрешить молодым специалистам быть наставниками",
            ),
        ),
    ]
