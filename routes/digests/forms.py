from django import forms

from core.forms import page_form_helper
from schools.access import has_capability

HELP = {
    "weekly": "По понедельникам: ИОМ, которые ждут вашего решения, ИОМ со статусом «Срок истек», просроченные "
              "мероприятия и новые итоги в вашей зоне ответственности. Если ничего не ждет — письма не будет.",
    "monthly": "Первого числа: ключевые показатели вашей зоны ответственности за учебный год и ссылка на дашборд.",
}


class DigestPreferenceForm(forms.Form):
    """The digests the user may receive (the ones their roles give), each a checkbox."""

    weekly = forms.BooleanField(label="Еженедельная сводка дел", required=False, help_text=HELP["weekly"])
    monthly = forms.BooleanField(label="Ежемесячная сводка показателей", required=False, help_text=HELP["monthly"])

    def __init__(self, *args, user, preference, **kwargs):
        super().__init__(*args, initial={"weekly": preference.weekly, "monthly": preference.monthly}, **kwargs)
        self.preference = preference
        for name in list(self.fields):
            if not has_capability(user, f"digest.{name}"):
                del self.fields[name]
        self.helper = page_form_helper()

    def choice(self) -> dict:
        """Both values for the service: a digest the user's roles do not give keeps its stored value."""
        data = self.cleaned_data
        return {name: data.get(name, getattr(self.preference, name)) for name in ("weekly", "monthly")}
