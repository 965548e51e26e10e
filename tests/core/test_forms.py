"""core.forms.run_service: one way from a form to a service and back to a response."""

import pytest
from django import forms
from django.contrib.messages import get_messages
from django.contrib.messages.storage.fallback import FallbackStorage
from django.contrib.sessions.backends.base import SessionBase
from django.core.exceptions import ValidationError
from django.test import RequestFactory

from core.errors import DomainError, RowDeleted
from core.forms import run_service


class NoteForm(forms.Form):
    title = forms.CharField()


def _request(*, htmx: bool = False):
    request = RequestFactory().post("/")
    request.session = SessionBase()
    request._messages = FallbackStorage(request)
    request.htmx = htmx
    return request


def _texts(request) -> list[str]:
    return [str(m) for m in get_messages(request)]


def _raise(exc):
    def call():
        raise exc
    return call


def _form():
    form = NoteForm({"title": "x"})
    assert form.is_valid()
    return form


def test_success_says_so_and_redirects_to_the_url_of_the_result():
    request = _request()
    response = run_service(request, lambda: 7, success_message=lambda n: f"Сохранено: {n}.",
                           redirect_to=lambda n: f"/done/{n}/")
    assert response.status_code == 302 and response.url == "/done/7/"
    assert _texts(request) == ["Сохранено: 7."]


def test_success_of_an_htmx_request_is_a_whole_page_redirect():
    response = run_service(_request(htmx=True), lambda: None, redirect_to="/done/")
    assert response.status_code == 200 and response["HX-Redirect"] == "/done/"


def test_a_validation_error_goes_under_its_field_and_the_rest_on_top():
    form = _form()
    response = run_service(_request(), _raise(ValidationError({"title": "Плохо.", "other": "Иначе."})), form=form,
                           redirect_to="/done/")
    assert response is None
    assert form.errors == {"title": ["Плохо."], "__all__": ["Иначе."]}


def test_a_refusal_goes_on_top_of_the_form_or_to_the_messages():
    form, request = _form(), _request()
    assert run_service(request, _raise(DomainError("Нельзя.")), form=form, redirect_to="/done/") is None
    assert form.non_field_errors() == ["Нельзя."] and _texts(request) == []

    form, request = _form(), _request()
    assert run_service(request, _raise(DomainError("Нельзя.")), form=form, refusal_on_form=False) is None
    assert form.errors == {} and _texts(request) == ["Нельзя."]


def test_without_a_form_every_refusal_is_a_message():
    request = _request()
    assert run_service(request, _raise(ValidationError(["Раз.", "Два."]))) is None
    assert run_service(request, _raise(DomainError("Нельзя."))) is None
    assert _texts(request) == ["Раз. Два.", "Нельзя."]


@pytest.mark.parametrize("htmx", [False, True])
def test_a_row_deleted_meanwhile_says_so_and_goes_where_on_deleted_says(htmx):
    request = _request(htmx=htmx)
    response = run_service(request, _raise(RowDeleted("Мероприятие уже удалено.")), form=_form(),
                           on_deleted=lambda exc: "/events/")
    assert _texts(request) == ["Мероприятие уже удалено."]
    assert (response["HX-Redirect"] if htmx else response.url) == "/events/"


def test_a_row_deleted_with_nowhere_to_go_is_an_ordinary_refusal():
    form = _form()
    assert run_service(_request(), _raise(RowDeleted("Выбранное событие удалено.")), form=form,
                       on_deleted=lambda exc: None) is None
    assert form.non_field_errors() == ["Выбранное событие удалено."]


def test_other_exceptions_are_not_swallowed():
    with pytest.raises(KeyError):
        run_service(_request(), _raise(KeyError("bug")))


class FilterForm(forms.Form):
    q = forms.CharField(required=False)
    kind = forms.ChoiceField(required=False, choices=[("", "Все")])
    only_active = forms.BooleanField(required=False)
    years = forms.MultipleChoiceField(required=False, widget=forms.CheckboxSelectMultiple, choices=[("a", "a")])
    token = forms.CharField(required=False, widget=forms.HiddenInput)


def test_bootstrap_widgets_classes_every_widget_but_lists_of_checkboxes_and_hidden_inputs():
    from core.forms import bootstrap_widgets

    form = FilterForm()
    bootstrap_widgets(form, small=True)
    classes = {name: field.widget.attrs.get("class") for name, field in form.fields.items()}
    assert classes == {"q": "form-control form-control-sm", "kind": "form-select form-select-sm",
                       "only_active": "form-check-input", "years": None, "token": None}
    form = FilterForm()
    bootstrap_widgets(form)
    assert form.fields["kind"].widget.attrs["class"] == "form-select"


def test_a_page_form_helper_renders_the_fields_and_errors_but_no_form_tag_or_token():
    from crispy_forms.layout import Column
    from django.template import Context, Template

    from core.forms import page_form_helper

    form = NoteForm({"title": ""})
    form.helper = page_form_helper(Column("title", css_class="col-md-6"))
    form.add_error(None, "Нельзя.")
    html = Template("{% load crispy_forms_tags %}{% crispy form %}").render(Context({"form": form}))
    assert "<form" not in html and "csrfmiddlewaretoken" not in html  # the page holds both
    assert 'class="col-md-6"' in html and 'name="title"' in html and "is-invalid" in html
    assert "Нельзя." in html and "alert-danger" in html


def test_the_import_upload_form_asks_for_a_spreadsheet_and_says_its_limits():
    from django.template import Context, Template

    from core.imports.forms import ReuploadForm, UploadForm

    render = Template("{% load crispy_forms_tags %}{% crispy form %}").render
    upload = render(Context({"form": UploadForm()}))
    assert 'accept=".xlsx,.csv"' in upload and "required" in upload and "до 20 МБ" in upload
    again = render(Context({"form": ReuploadForm()}))
    assert "Исправленный файл" in again and "до 20 МБ" not in again
