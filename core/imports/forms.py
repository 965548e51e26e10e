from crispy_forms.layout import Column
from django import forms

from core.forms import page_form_helper
from core.imports.reading import MAX_BYTES


class UploadForm(forms.Form):
    file = forms.FileField(
        label="Файл .xlsx или .csv",
        help_text="Первый лист книги Excel или CSV; до 20 МБ и 50 000 строк. Большой файл (больше 2 000 строк "
                  "или 1 МБ) портал проверит и запишет в фоне.",
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx,.csv"}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # a cell of the page's row, its buttons beside it
        self.helper = page_form_helper(Column("file", css_class="col-md-6"))

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if not upload.name.lower().endswith((".xlsx", ".csv")):
            raise forms.ValidationError("Загрузите файл .xlsx или .csv (старый формат .xls сохраните как .xlsx).")
        if upload.size > MAX_BYTES:
            raise forms.ValidationError(f"Файл больше {MAX_BYTES // (1024 * 1024)} МБ: разделите его на части.")
        return upload


class ReuploadForm(UploadForm):
    """The corrected file, sent from the preview of a file with errors (which says the limits already)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["file"].label = "Исправленный файл"
        self.fields["file"].help_text = ""
