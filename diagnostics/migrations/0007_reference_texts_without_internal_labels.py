"""Competency and instrument descriptions lose the internal references to the source documents.

0004 and 0005 wrote «(seed 004)», «(seed 004: объективность оценивания)», «…, seed 003)» into
descriptions a teacher reads on «Компетенции и диагностические инструменты»; nobody using the
portal knows what a seed is. The sources are named in docs/seeds/README.md and docs/glossary.md.
Only the reference is removed: a description an administrator has since rewritten keeps its text.
"""

import re

from django.db import migrations

# «(seed 004)», «(seed 004: …)» as a whole; «…», seed 003)» leaves the bracket it closes.
WHOLE = re.compile(r"\s*\(seeds? \d{3}(?:\s*:[^)]*)?\)", re.IGNORECASE)
INSIDE = re.compile(r",\s*seeds? \d{3}(?=\))", re.IGNORECASE)
TEXTS = {"Competency": ["description"], "Instrument": ["description", "validity_basis"]}


def cleaned(text: str) -> str:
    return INSIDE.sub("", WHOLE.sub("", text))


def forwards(apps, schema_editor):
    for model_name, fields in TEXTS.items():
        model = apps.get_model("diagnostics", model_name)
        for row in model.objects.all():
            changed = [f for f in fields if (getattr(row, f) or "") != cleaned(getattr(row, f) or "")]
            for field in changed:
                setattr(row, field, cleaned(getattr(row, field)))
            if changed:
                row.save(update_fields=changed)


class Migration(migrations.Migration):

    dependencies = [
        ("diagnostics", "0006_deficit_dismissal_reason"),
    ]

    # Backwards there is nothing to restore: the references were never meant for the reader.
    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
