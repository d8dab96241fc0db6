from django import forms
from django.utils.translation import gettext_lazy as _


class DocumentUploadForm(forms.Form):
    criterion = forms.CharField(widget=forms.HiddenInput)
    file = forms.FileField(label=_("Evidence file"), allow_empty_file=True)
