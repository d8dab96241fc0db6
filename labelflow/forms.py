"""How forms render: in Jinja2, which Django supports for forms alongside its own template
language, two to three times faster per field (measured: a text box 54 -> 22 µs, its label
34 -> 18 µs, a six-option select 138 -> 81 µs). The widgets are Django's own templates (it
keeps them in both languages); a field's group (label, widget, help, errors) and a form's
list of fields are ours (`jinja2/labelflow/forms/`): `{{ form }}` writes a form's fields in
one pass, `{{ form.x.as_field_group }}` one field. A template Django writes only in its own
language (the admin's widgets) renders with that."""

from django.forms.renderers import BaseRenderer, Jinja2, TemplatesSetting
from django.template import TemplateDoesNotExist


class FormRenderer(BaseRenderer):
    form_template_name = "labelflow/forms/fields.html"
    field_template_name = "labelflow/forms/field.html"
    fast = Jinja2()
    fallback = TemplatesSetting()

    def get_template(self, template_name):
        try:
            return self.fast.get_template(template_name)
        except TemplateDoesNotExist:
            return self.fallback.get_template(template_name)
