from django import forms
from django.contrib.auth.forms import AuthenticationForm, PasswordResetForm


class PortalAuthenticationForm(AuthenticationForm):
    username = forms.CharField(label="Логин или e-mail", widget=forms.TextInput(attrs={"autofocus": True, "autocomplete": "username"}))

    error_messages = {
        "invalid_login": "Неверный логин или пароль. Проверьте раскладку клавиатуры и Caps Lock.",
        "inactive": "Учетная запись отключена. Обратитесь к заместителю директора.",
    }

    def clean_username(self):
        return self.cleaned_data["username"].strip().lower()


class PortalPasswordResetForm(PasswordResetForm):
    email = forms.EmailField(label="E-mail", max_length=254, widget=forms.EmailInput(attrs={"autocomplete": "email"}))
