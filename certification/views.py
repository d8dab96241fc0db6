from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, render

from . import selectors
from .models import Award
from .services.transitions import available_transitions


@login_required
def dashboard(request):
    dossiers = selectors.dossiers_visible_to(request.user).order_by("-created_at", "-id")
    page = Paginator(dossiers, 25).get_page(request.GET.get("page"))
    return render(request, "certification/dashboard.html", {"page": page})


@login_required
def dossier_detail(request, pk):
    dossier = selectors.get_dossier_for(request.user, pk)
    context = {
        "dossier": dossier,
        "criteria": selectors.dossier_criteria(dossier),
        "transitions": available_transitions(dossier, request.user),
        "history": dossier.history.select_related("actor").order_by("at", "id"),
    }
    return render(request, "certification/dossier_detail.html", context)


def verify(request, code):
    award = get_object_or_404(
        Award.objects.select_related("dossier__collectivity", "dossier__campaign__scheme", "level"),
        verification_code=code,
    )
    return render(request, "certification/verify.html", {"award": award})
