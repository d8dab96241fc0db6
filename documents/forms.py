from django import forms
from django.conf import settings
from django.template.defaultfilters import filesizeformat
from django.utils.functional import lazy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .receiving import ACCEPTED


def _what_is_accepted() -> str:
    return _("%(types)s Up to %(size)s.") % {
        "types": ACCEPTED, "size": filesizeformat(settings.EVIDENCE_MAX_BYTES),
    }  # fmt: skip


class DocumentUploadForm(forms.Form):
    criterion = forms.CharField(widget=forms.HiddenInput)
    file = forms.FileField(
        label=gettext_lazy("Evidence file"), allow_empty_file=True,
        help_text=lazy(_what_is_accepted, str)(),  # said before a file is picked
    )  # fmt: skip
