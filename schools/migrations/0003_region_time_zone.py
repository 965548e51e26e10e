"""Each region keeps its time zone; existing regions get theirs from their names (schools.timezones)."""

import schools.models
from django.db import migrations, models


def zones_from_names(apps, schema_editor):
    # The name table of the running code: a region it does not know keeps the default.
    from schools.timezones import zone_for_region_name

    Region = apps.get_model("schools", "Region")
    for region in Region.objects.all():
        zone = zone_for_region_name(region.name)
        if zone:
            Region.objects.filter(pk=region.pk).update(time_zone=zone)


class Migration(migrations.Migration):

    dependencies = [
        ('schools', '0002_account_link_invitation'),
    ]

    operations = [
        migrations.AddField(
            model_name='region',
            name='time_zone',
            field=models.CharField(choices=[('Europe/Kaliningrad', 'Калининград (МСК−1, UTC+2)'), ('Europe/Moscow', 'Москва (МСК, UTC+3)'), ('Europe/Simferopol', 'Симферополь (МСК, UTC+3)'), ('Europe/Volgograd', 'Волгоград (МСК, UTC+3)'), ('Europe/Kirov', 'Киров (МСК, UTC+3)'), ('Europe/Samara', 'Самара (МСК+1, UTC+4)'), ('Europe/Astrakhan', 'Астрахань (МСК+1, UTC+4)'), ('Europe/Saratov', 'Саратов (МСК+1, UTC+4)'), ('Europe/Ulyanovsk', 'Ульяновск (МСК+1, UTC+4)'), ('Asia/Yekaterinburg', 'Екатеринбург (МСК+2, UTC+5)'), ('Asia/Omsk', 'Омск (МСК+3, UTC+6)'), ('Asia/Novosibirsk', 'Новосибирск (МСК+4, UTC+7)'), ('Asia/Barnaul', 'Барнаул (МСК+4, UTC+7)'), ('Asia/Tomsk', 'Томск (МСК+4, UTC+7)'), ('Asia/Novokuznetsk', 'Новокузнецк (МСК+4, UTC+7)'), ('Asia/Krasnoyarsk', 'Красноярск (МСК+4, UTC+7)'), ('Asia/Irkutsk', 'Иркутск (МСК+5, UTC+8)'), ('Asia/Chita', 'Чита (МСК+6, UTC+9)'), ('Asia/Yakutsk', 'Якутск (МСК+6, UTC+9)'), ('Asia/Khandyga', 'Хандыга (МСК+6, UTC+9)'), ('Asia/Vladivostok', 'Владивосток (МСК+7, UTC+10)'), ('Asia/Ust-Nera', 'Усть-Нера (МСК+7, UTC+10)'), ('Asia/Magadan', 'Магадан (МСК+8, UTC+11)'), ('Asia/Sakhalin', 'Сахалин (МСК+8, UTC+11)'), ('Asia/Srednekolymsk', 'Среднеколымск (МСК+8, UTC+11)'), ('Asia/Kamchatka', 'Камчатка (МСК+9, UTC+12)'), ('Asia/Anadyr', 'Анадырь (МСК+9, UTC+12)')], default=schools.models.default_time_zone, max_length=40, verbose_name='часовой пояс'),
        ),
        migrations.RunPython(zones_from_names, migrations.RunPython.noop),
    ]
