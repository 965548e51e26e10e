"""The audit letter's texts page (seed 001): the methodist's words of the letter, the defaults restorable.

Beside reports/views.py (the dashboards, the order page, the analytical report's texts) so the
letters grow without touching the dashboards.
"""

from django.shortcuts import render
from django.urls import reverse

from core.dates import last_completed_academic_years
from core.forms import run_service
from reports import services
from reports.forms import AuditTextForm, recent_years
from reports.models import AuditLetterText
from reports.selectors.audit import audit_figures
from reports.texts import audit_default_basis, audit_default_conclusion, audit_default_recommendations
from schools.access import can, capability_required, get_for, municipalities_for
from schools.models import Organisation


def audit_defaults(municipality, cohort: str) -> dict[str, str]:
    """What the letter says where the methodist wrote nothing (reports.builders.audit reads the same)."""
    figures = audit_figures(Organisation.objects.filter(municipality=municipality), cohort)
    return {
        "basis": audit_default_basis(cohort=cohort, municipality_name=municipality.name),
        "conclusion": audit_default_conclusion(for_school=False),
        "recommendations": "\n".join(audit_default_recommendations(figures)),
    }


@capability_required("report.texts")
def audit_texts(request, pk: int):
    municipality = get_for(request.user, municipalities_for(request.user, "report.texts"), pk)
    year = request.GET.get("year", "")
    cohort = year if year in set(recent_years(10)) else last_completed_academic_years(1)[0]
    defaults = audit_defaults(municipality, cohort)
    text = AuditLetterText.objects.filter(municipality=municipality, cohort=cohort).first()
    initial = {"version": text.version if text else 0}
    # initial wins over the instance: a saved empty field shows the default it stands for
    initial.update({f: (getattr(text, f) if text else "") or d for f, d in defaults.items()})
    form = AuditTextForm(request.POST or None, instance=text, initial=initial)
    restore = "restore" in request.POST
    if request.method == "POST" and form.is_valid():
        # A text equal to today's default is stored empty: it keeps following the figures.
        data = {f: ("" if (form.cleaned_data.get(f) or "").strip() == defaults.get(f, "").strip() and f in defaults
                    else form.cleaned_data.get(f, "")) for f in ("number", "basis", "conclusion", "recommendations")}
        if done := run_service(
            request, lambda: services.audit_text_save(
                user=request.user, municipality=municipality, cohort=cohort, data=data,
                version=form.cleaned_data["version"], restore_defaults=restore),
            form=form, refusal_on_form=False,
            success_message="Тексты письма возвращены к исходным." if restore else "Тексты письма об аудите сохранены.",
            redirect_to=reverse("reports:audit_texts", args=[municipality.pk]) + f"?year={cohort}",
        ):
            return done
    return render(request, "reports/audit_texts.html", {
        "municipality": municipality, "year": cohort, "form": form, "year_choices": recent_years(),
        "can_edit_letterhead": can(request.user, "municipality.letterhead", municipality),
        "letterhead_missing": municipality.letterhead_missing,
    })
