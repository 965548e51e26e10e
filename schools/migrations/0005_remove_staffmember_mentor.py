"""StaffMember.mentor is gone: mentoring lives in methodics.MentoringPair (filled by methodics 0002)."""

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ("schools", "0004_organisation_young_mentors_allowed"),
        ("methodics", "0002_pairs_from_staff_mentor"),
    ]

    operations = [
        migrations.RemoveField(model_name="historicalstaffmember", name="mentor"),
        migrations.RemoveField(model_name="staffmember", name="mentor"),
    ]
