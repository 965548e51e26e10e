from django import forms

from core.imports.reading import MAX_BYTES


class UploadForm(forms.Form):
    file = forms.FileField(
        label="Файл .xlsx или .csv",
        help_text="Первый лист книги Excel или CSV; до 20 МБ и 50 000 строк. Большой файл (больше 2 000 строк "
                  "или 1 МБ) портал проверит и запишет в фоне.",
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if not upload.name.lower().endswith((".xlsx", ".csv")):
            raise forms.ValidationError("Загрузите файл .xlsx или .csv (старый формат .xls сохраните как .xlsx).")
        if upload.size > MAX_BYTES:
            raise forms.ValidationError(f"Файл больше {MAX_BYTES // (1024 * 1024)} МБ: разделите его на части.")
        return upload
