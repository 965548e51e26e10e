"""What the forms of every app share: their crispy helper, the Bootstrap widgets of forms still
laid out by hand, and the one way a view hands a form's values to a service and turns the outcome
into a response.

Every form is rendered by crispy: a plain stacked form with `{{ form|crispy }}`, a form with a
layout (fields side by side, a table of fields) with `{% crispy form %}` and the helper
`page_form_helper` gives it. A list page's filters are a core.filters.FilterSet.
"""

from collections.abc import Callable
from typing import Any

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Layout
from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, resolve_url
from django_htmx.http import HttpResponseClientRedirect

from core.errors import DomainError, RowDeleted


def page_form_helper(*layout) -> FormHelper:
    """The crispy helper of a form whose page template holds the <form> tag, its CSRF token and
    its buttons: `{% crispy form %}` renders the form's errors and its fields laid out as
    `layout` (crispy layout objects or field names; none: every field stacked)."""
    helper = FormHelper()
    helper.form_tag = False
    helper.disable_csrf = True
    if layout:
        helper.layout = Layout(*layout)
    return helper


def bootstrap_widgets(form, *, small: bool = False) -> None:
    """Bootstrap classes on the widgets of a form a template lays out field by field (a compact
    filter bar, a sidebar form), where crispy's stacked layout does not fit. Lists of checkboxes
    and hidden inputs are left as they are: the template styles those."""
    size = " form-select-sm" if small else ""
    for field in form.fields.values():
        widget = field.widget
        if isinstance(widget, (forms.CheckboxSelectMultiple, forms.HiddenInput)):
            continue
        if isinstance(widget, forms.Select):
            css = f"form-select{size}"
        elif isinstance(widget, (forms.CheckboxInput, forms.RadioSelect)):
            css = "form-check-input"
        else:
            css = "form-control" + (" form-control-sm" if small else "")
        widget.attrs["class"] = f"{widget.attrs.get('class', '')} {css}".strip()


def apply_validation_error(form, exc: ValidationError) -> None:
    """A service's ValidationError onto the form: each message under its field, the rest on top."""
    if hasattr(exc, "error_dict"):
        for name, errors in exc.message_dict.items():
            form.add_error(name if name in form.fields else None, errors)
    else:
        form.add_error(None, exc.messages)


def redirect_page(request, to) -> HttpResponse:
    """A redirect to `to` (anything resolve_url takes); for htmx, HX-Redirect."""
    # An htmx request is redirected as a whole page, so the message it carries is seen.
    url = resolve_url(to)
    return HttpResponseClientRedirect(url) if getattr(request, "htmx", False) else redirect(url)


def run_service(
    request,
    call: Callable[[], Any],
    *,
    form=None,
    refusal_on_form: bool = True,
    success_message: str | Callable[[Any], str] = "",
    redirect_to: Any = None,
    on_deleted: Any = None,
) -> HttpResponse | None:
    """Call a service for a view and turn its outcome into the response.

    - `call()` calls the service; what it returns is passed to the callables below.
    - A ValidationError goes onto `form` (each message under its field); without a form, to the messages.
    - A DomainError (a refused action) goes on top of `form`, or to the messages when there is no
      form or `refusal_on_form` is false; its Russian text is shown as is.
    - A RowDeleted (the row was deleted meanwhile) with `on_deleted` set: its message, and the
      user goes to `on_deleted` (a URL, a URL name, or a callable of the exception giving one, or
      None to treat it as any refusal).
    - Success: `success_message` (text, or a callable of the result) to the messages, and the user
      goes to `redirect_to` (a URL, a URL name, a model instance, or a callable of the result giving
      one of them or a whole response).

    Redirects of an htmx request are HX-Redirect. Returns the response to send, or None when the
    action was refused (or succeeded with no `redirect_to`): the view renders its form again, now
    with the errors, or goes to its own page.
    """
    try:
        result = call()
    except RowDeleted as exc:
        target = on_deleted(exc) if callable(on_deleted) else on_deleted
        if target is None:
            _refuse(request, form if refusal_on_form else None, str(exc))
            return None
        messages.error(request, str(exc))
        return redirect_page(request, target)
    except ValidationError as exc:
        if form is None:
            messages.error(request, " ".join(exc.messages))
        else:
            apply_validation_error(form, exc)
        return None
    except DomainError as exc:
        _refuse(request, form if refusal_on_form else None, str(exc))
        return None
    message = success_message(result) if callable(success_message) else success_message
    if message:
        messages.success(request, message)
    target = redirect_to(result) if callable(redirect_to) else redirect_to
    if target is None or isinstance(target, HttpResponse):
        return target
    return redirect_page(request, target)


def _refuse(request, form, message: str) -> None:
    if form is None:
        messages.error(request, message)
    else:
        form.add_error(None, message)
