"""Collectivities: managers register them; managers and referents add their members."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from labelflow.errors import DomainError, NotVisible

from .. import roles, selectors
from ..forms import CollectivityForm, MemberForm
from ..models import Collectivity, Membership
from ..services import dossiers as dossier_services
from .common import report

PAGE_SIZE = 25


@login_required
def collectivity_list(request):
    """The collectivities the user can see; managers also register new ones here."""
    form = None
    status = 200
    if request.method == "POST":
        form = CollectivityForm(request.POST)
        if form.is_valid():
            try:
                collectivity = dossier_services.collectivity_create(
                    by=request.user, **form.cleaned_data
                )
            except DomainError as exc:
                status = report(request, exc)
            else:
                messages.success(request, _("%s is registered.") % collectivity.name)
                return redirect("collectivity-detail", pk=collectivity.pk)
        else:
            status = 400
    collectivities = selectors.collectivities_visible_to(request.user).order_by("name", "id")
    manager = roles.is_manager(request.user)
    context = {
        "page": Paginator(collectivities, PAGE_SIZE).get_page(request.GET.get("page")),
        "is_manager": manager,
        "form": form or (CollectivityForm() if manager else None),
    }
    return render(request, "certification/collectivity_list.html", context, status=status)


@login_required
def collectivity_detail(request, pk):
    return _detail(request, _collectivity_or_404(request.user, pk))


@login_required
@require_POST
def member_add(request, pk):
    collectivity = _collectivity_or_404(request.user, pk)
    form = MemberForm(request.POST)
    if not form.is_valid():
        return _detail(request, collectivity, form, 400)
    try:
        membership = dossier_services.member_add(
            collectivity=collectivity, username=form.cleaned_data["username"],
            role=form.cleaned_data["role"], by=request.user,
        )  # fmt: skip
    except DomainError as exc:
        return _detail(request, collectivity, form, report(request, exc))
    messages.success(
        request,
        _("%(user)s is now %(role)s.")
        % {"user": membership.user.username, "role": membership.get_role_display()},
    )
    return redirect("collectivity-detail", pk=collectivity.pk)


def _collectivity_or_404(user, pk) -> Collectivity:
    try:
        return selectors.get_collectivity_for(user, pk)
    except NotVisible as exc:
        raise Http404(exc.detail) from exc


def _detail(request, collectivity, form=None, status=200):
    memberships = list(collectivity.memberships.select_related("user").order_by("user__username"))
    may_add = roles.is_manager(request.user) or any(
        m.user_id == request.user.pk and m.role == Membership.Role.REFERENT for m in memberships
    )
    context = {
        "collectivity": collectivity,
        "memberships": memberships,
        "member_form": (form or MemberForm()) if may_add else None,
        "dossiers": collectivity.dossiers.filter(
            pk__in=selectors.dossiers_visible_to(request.user).values("pk")
        ).select_related("campaign", "category")[:50],
    }
    return render(request, "certification/collectivity_detail.html", context, status=status)
