"""Each transition's input in the OpenAPI schema: the fields of the form the lifecycle table
names, as a serializer. Only the schema reads them: `perform_transition` validates the
request with the form itself, after the state and the permission."""

import functools

from django import forms
from drf_spectacular.utils import PolymorphicProxySerializer
from rest_framework import serializers

from ..lifecycle import STEPS


@functools.cache
def serializer_for(form_class: type[forms.Form]) -> type[serializers.Serializer]:
    fields = {name: _api_field(field) for name, field in form_class.base_fields.items()}
    name = form_class.__name__.removesuffix("Form") + "Input"
    return type(name, (serializers.Serializer,), {**fields, "__doc__": form_class.__doc__})


def _api_field(field: forms.Field) -> serializers.Field:
    common = {"required": field.required, "help_text": str(field.help_text) or None,
              "label": str(field.label) if field.label else None}  # fmt: skip
    if isinstance(field, forms.JSONField):  # corrective action plans, by finding id
        return serializers.DictField(child=serializers.CharField(allow_blank=True), **common)
    if isinstance(field, forms.ModelMultipleChoiceField):  # criteria, by their codes
        return serializers.ListField(child=serializers.CharField(), **common)
    if isinstance(field, forms.ModelChoiceField):  # a level, by its code
        return serializers.CharField(allow_blank=True, allow_null=True, **common)
    if isinstance(field, forms.ChoiceField):
        return serializers.ChoiceField(choices=field.choices, allow_blank=True, **common)
    if isinstance(field, forms.IntegerField):
        return serializers.IntegerField(allow_null=True, min_value=field.min_value,
                                        max_value=field.max_value, **common)  # fmt: skip
    if isinstance(field, forms.DateField):
        return serializers.DateField(allow_null=True, **common)
    return serializers.CharField(allow_blank=True, max_length=field.max_length, **common)


def transition_input_schema() -> PolymorphicProxySerializer:
    """One of the transitions' inputs: the `name` in the path says which."""
    return PolymorphicProxySerializer(
        component_name="AnyTransitionInput",
        serializers=list(dict.fromkeys(serializer_for(s.form) for s in STEPS.values())),
        resource_type_field_name=None,
    )
