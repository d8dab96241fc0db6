"""Collectivities: managers register them; managers and referents add their members."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from .. import policy, roles, selectors
from ..forms import CollectivityForm, MemberForm
from ..paging import Paginator
from ..services import dossiers as dossier_services
from .common import attempt

PAGE_SIZE = 25


@login_required
def collectivity_list(request):
    """The collectivities the user can see; managers also register new ones here."""
    form = None
    status = 200
    if request.method == "POST":
        form = CollectivityForm(request.POST)
        status = 400
        if form.is_valid():
            outcome = attempt(
                request,
                lambda: dossier_services.collectivity_create(by=request.user, **form.cleaned_data),
            )
            if outcome:
                messages.success(request, _("%s is registered.") % outcome.value.name)
                return redirect("collectivity-detail", pk=outcome.value.pk)
            status = outcome.status
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
    return _detail(request, selectors.get_collectivity_for(request.user, pk))


@login_required
@require_POST
def member_add(request, pk):
    collectivity = selectors.get_collectivity_for(request.user, pk)
    form = MemberForm(request.POST)
    if not form.is_valid():
        return _detail(request, collectivity, form, 400)
    outcome = attempt(
        request,
        lambda: dossier_services.member_add(
            collectivity=collectivity, username=form.cleaned_data["username"],
            role=form.cleaned_data["role"], by=request.user,
        ),
    )  # fmt: skip
    if not outcome:
        return _detail(request, collectivity, form, outcome.status)
    membership = outcome.value
    messages.success(
        request,
        _("%(user)s is now %(role)s.")
        % {"user": membership.user.username, "role": membership.get_role_display()},
    )
    return redirect("collectivity-detail", pk=collectivity.pk)


def _detail(request, collectivity, form=None, status=200):
    may_add = policy.may_add_member(request.user, collectivity)
    context = {
        "collectivity": collectivity,
        "memberships": list(selectors.collectivity_members(collectivity)),
        "member_form": (form or MemberForm()) if may_add else None,
        "dossiers": selectors.collectivity_dossiers(request.user, collectivity, limit=50),
    }
    return render(request, "certification/collectivity_detail.html", context, status=status)
