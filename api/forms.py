from django import forms

from api.permissions import choices_for_role
from schools.models import Membership, Municipality, Organisation, Region


class TokenCreateForm(forms.Form):
    """The administrator's new token: its name, the role and scope its account holds, what it may use."""

    name = forms.CharField(label="Название", max_length=200,
                           help_text="Какая система и зачем, например «Региональный мониторинг: выгрузка ИОМ».")
    role = forms.ChoiceField(label="Роль учетной записи токена", choices=Membership.Role.choices,
                             help_text="Токен видит и делает то же, что человек с этой ролью в выбранной области.")
    organisation = forms.ModelChoiceField(label="Организация", required=False,
                                          queryset=Organisation.objects.select_related("municipality"),
                                          help_text="Для ролей школы: заместитель директора, директор.")
    municipality = forms.ModelChoiceField(label="Муниципалитет", required=False,
                                          queryset=Municipality.objects.select_related("region"),
                                          help_text="Для методиста ММЦ.")
    region = forms.ModelChoiceField(label="Регион", required=False, queryset=Region.objects.all(),
                                    help_text="Для регионального методиста. У администратора области нет.")
    capabilities = forms.MultipleChoiceField(label="Разрешенные права", choices=choices_for_role(),
                                             widget=forms.CheckboxSelectMultiple,
                                             help_text="Только те, что есть у роли; остальные права роли токену "
                                                       "недоступны.")
    expires_at = forms.DateTimeField(label="Действует до", required=False,
                                     help_text="ДД.ММ.ГГГГ ЧЧ:ММ; пусто — пока не отозван.")
