"""«Рассылки»: the user's choice of digests, and the unsubscribe link of a digest e-mail (no login needed)."""

from django.contrib.auth.decorators import login_not_required
from django.http import Http404
from django.shortcuts import render
from django.views.decorators.debug import sensitive_variables
from django.views.decorators.http import require_http_methods

from core.forms import run_service
from core.models import DigestSent
from routes.digests import services
from routes.digests.forms import DigestPreferenceForm
from routes.digests.tokens import read_token
from schools.access import capability_required

KIND_NAMES = {"weekly": "еженедельной сводки дел", "monthly": "ежемесячной сводки показателей",
              "all": "всех рассылок портала"}


@require_http_methods(["GET", "POST"])
@capability_required("digest.weekly", "digest.monthly")
def digest_page(request):
    preference = services.preference_of(request.user)
    # not `request.POST or None`: unticking every box posts nothing, and that is a choice too
    form = DigestPreferenceForm(request.POST if request.method == "POST" else None, user=request.user,
                                preference=preference)
    if request.method == "POST" and form.is_valid():
        response = run_service(request, lambda: services.digest_preference_update(actor=request.user, **form.choice()),
                               form=form, success_message="Настройки рассылок сохранены.", redirect_to="digests:page")
        if response:
            return response
    last_sent = {kind: DigestSent.objects.filter(user=request.user, kind=kind).order_by("-sent_at").first()
                 for kind in DigestSent.Kind.values}
    return render(request, "routes/digests/page.html", {"form": form, "last_sent": last_sent,
                                                        "email": request.user.email})


@login_not_required  # the link in a digest e-mail: its signature names the user, no session needed
@require_http_methods(["GET", "POST"])
@sensitive_variables("token")
def digest_unsubscribe(request, token: str):
    """GET asks (mail scanners follow links), POST turns the digest off for the user the token names."""
    found = read_token(token)
    if found is None:
        raise Http404("digest unsubscribe: bad token")
    user_id, kind = found
    if request.method == "POST":
        if services.digest_unsubscribe(user_id=user_id, kind=kind) is None:
            raise Http404("digest unsubscribe: no such account")
        return render(request, "routes/digests/unsubscribed.html", {"what": KIND_NAMES[kind], "done": True})
    return render(request, "routes/digests/unsubscribed.html", {"what": KIND_NAMES[kind], "done": False})


