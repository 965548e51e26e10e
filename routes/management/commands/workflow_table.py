from django.core.management.base import BaseCommand

from routes.workflow.table import markdown_table


class Command(BaseCommand):
    help = ("Напечатать таблицу переходов ИОМ (routes/workflow/table.py) в Markdown — ту, что стоит в "
            "docs/spec/workflow.md.")

    def handle(self, *args, **options):
        self.stdout.write(markdown_table(), ending="")
