"""The project's flattened widget templates (`templates/django/forms/`) render what Django's
own do, whitespace aside: they only inline the `include`s."""

import re

import pytest
from django import forms
from django.forms.renderers import DjangoTemplates, TemplatesSetting


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


def rendered(form: forms.Form) -> str:
    html = "".join(str(field.label_tag()) + str(field) for field in form)
    return re.sub(r">\s+<", "><", re.sub(r"\s+", " ", html)).strip()


@pytest.mark.parametrize("data", [
    None,
    {"text": "a <b>", "number": "3", "choice": "y", "radio": "2", "boxes": ["1", "2"],
     "day": "2026-01-02", "hidden": "q", "agree": "on", "email": "a@example.org"},
])  # fmt: skip
def test_they_render_what_djangos_render(data):
    ours = rendered(EveryWidget(data, renderer=TemplatesSetting()))
    djangos = rendered(EveryWidget(data, renderer=DjangoTemplates()))
    assert ours == djangos
    assert 'type="radio"' in ours and "<option" in ours  # the widgets are there


@pytest.mark.parametrize("name", ["widgets/input.html", "widgets/select.html",
                                  "widgets/multiple_input.html", "label.html"])  # fmt: skip
def test_the_forms_render_with_them(name, settings):
    from django.forms.renderers import get_default_renderer

    renderer = get_default_renderer()
    assert isinstance(renderer, TemplatesSetting)
    origin = renderer.get_template(f"django/forms/{name}").origin.name
    assert origin == str(settings.BASE_DIR / "templates" / "django" / "forms" / name)
