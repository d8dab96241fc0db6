"""Forms render in Jinja2 (`labelflow.forms.FormRenderer`): Django's widget templates
write the same HTML as its Django-language ones, whitespace aside, errors included; our
field groups write each field with its label, help and errors; the admin's widgets, which
Django writes in its template language only, still render."""

import re

import pytest
from django import forms
from django.forms.renderers import DjangoTemplates, get_default_renderer
from django.template.backends.django import Template as DjangoTemplate
from django.template.backends.jinja2 import Template as Jinja2Template

from labelflow.forms import FormRenderer


class EveryWidget(forms.Form):
    text = forms.CharField(help_text="h", widget=forms.TextInput(attrs={"placeholder": "x"}))
    number = forms.IntegerField(min_value=1)
    choice = forms.ChoiceField(choices=[("", "—"), ("x", "X"), ("Group", [("y", "Y"), ("z", "Z")])])
    radio = forms.ChoiceField(choices=[("1", "One"), ("2", "Two")], widget=forms.RadioSelect)
    boxes = forms.MultipleChoiceField(choices=[("1", "One"), ("2", "Two")], required=False,
                                      widget=forms.CheckboxSelectMultiple)  # fmt: skip
    day = forms.DateField(widget=forms.DateInput(attrs={"type": "date"}))
    hidden = forms.CharField(widget=forms.HiddenInput)
    agree = forms.BooleanField(required=False)
    email = forms.EmailField()
    comment = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), max_length=100)
    file = forms.FileField(required=False)


def rendered(form: forms.Form) -> str:
    html = str(form.non_field_errors()) + "".join(
        str(field.label_tag()) + str(field) + str(field.errors) for field in form
    )
    return re.sub(r">\s+<", "><", re.sub(r"\s+", " ", html)).strip()


@pytest.mark.parametrize("data", [
    None,
    {"text": "a <b>", "number": "3", "choice": "y", "radio": "2", "boxes": ["1", "2"],
     "day": "2026-01-02", "hidden": "q", "agree": "on", "email": "a@example.org",
     "comment": "x & <y>"},
    {"number": "zero", "choice": "nope", "email": "not an address"},  # errors
])  # fmt: skip
def test_they_render_what_djangos_own_render(data):
    ours = rendered(EveryWidget(data, renderer=FormRenderer()))
    djangos = rendered(EveryWidget(data, renderer=DjangoTemplates()))
    assert ours == djangos
    assert 'type="radio"' in ours and "<option" in ours and "<textarea" in ours
    if data and "nope" in data.values():
        assert 'class="errorlist"' in ours


def test_forms_render_with_jinja2_and_the_admins_widgets_with_djangos_language():
    renderer = get_default_renderer()
    assert isinstance(renderer, FormRenderer)
    assert isinstance(renderer.get_template("django/forms/widgets/input.html"), Jinja2Template)
    admin = renderer.get_template("admin/widgets/foreign_key_raw_id.html")
    assert isinstance(admin, DjangoTemplate)


def test_a_form_writes_each_field_with_its_label_help_and_errors():
    class Search(forms.Form):
        search = forms.CharField(help_text="Part of the name.", max_length=5)
        kind = forms.ChoiceField(choices=[("a", "A"), ("b", "B")], widget=forms.RadioSelect)
        page = forms.CharField(widget=forms.HiddenInput, required=False)

        def clean(self):
            raise forms.ValidationError("Not now.")

    html = str(Search({"search": "far too long", "kind": "a", "page": "2"}))
    assert html.count('<div class="form-errors" role="alert">') == 1 and "Not now." in html
    assert '<input type="hidden" name="page" value="2"' in html
    assert '<div class="field field-error">' in html and '<div class="errors" role="alert">' in html
    assert '<small class="help" id="id_search_helptext">Part of the name.</small>' in html
    assert "<fieldset><legend>Kind</legend>" in html  # radios: a legend, not a label
