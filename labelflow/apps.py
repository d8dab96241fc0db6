from django.apps import AppConfig


class LabelflowConfig(AppConfig):
    name = "labelflow"

    def ready(self) -> None:
        from . import checks  # noqa: F401  (registers the deploy checks)
