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

    def get_invalid_login_error(self):
        # A directory sign-in the portal refused (schools.sso.linking) says why, not «wrong password»:
        # the directory has accepted the password by then.
        refusal = getattr(self.request, "sso_refusal", None)
        if refusal:
            return forms.ValidationError(refusal, code="sso_refused")
        return super().get_invalid_login_error()


class PortalPasswordResetForm(PasswordResetForm):
    email = forms.EmailField(label="E-mail", max_length=254, widget=forms.EmailInput(attrs={"autocomplete": "email"}))

    def send_mail(self, subject_template_name, email_template_name, context, from_email, to_email,
                  html_email_template_name=None):
        """Through the outbox and a Celery task like every e-mail of the portal (core.services.queue_email):
        the page answers «письмо отправлено» whatever the mail server does."""
        from django.template import loader
        from django.urls import reverse

        from core.links import absolute_url
        from core.models import OutgoingEmail
        from core.services import queue_email

        # The portal's address (core.links), not Django's protocol + request host: production names it,
        # and a reset link must never lead to a host taken from the request's headers.
        context["reset_url"] = absolute_url(reverse("password_reset_confirm", kwargs={
            "uidb64": context["uid"], "token": context["token"]}))
        subject = "".join(loader.render_to_string(subject_template_name, context).splitlines())
        body = loader.render_to_string(email_template_name, context)
        html = loader.render_to_string(html_email_template_name, context) if html_email_template_name else ""
        queue_email(to=to_email, subject=subject, body=body, html_body=html, kind=OutgoingEmail.Kind.PASSWORD_RESET)
