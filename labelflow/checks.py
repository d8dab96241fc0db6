from django.conf import settings
from django.core.checks import Error, Tags, register


@register(Tags.security, deploy=True)
def secret_key_is_not_the_development_one(app_configs, **kwargs):
    if settings.SECRET_KEY == settings.DEV_SECRET_KEY:
        return [Error("SECRET_KEY is the development key: set SECRET_KEY.", id="labelflow.E001")]
    return []


@register(Tags.security, deploy=True)
def history_keys_are_not_the_development_ones(app_configs, **kwargs):
    errors = []
    if set(settings.HISTORY_KEYS.values()) & set(settings.DEV_HISTORY_KEYS.values()):
        errors.append(
            Error("HISTORY_KEYS holds the development key: set HISTORY_KEYS.", id="labelflow.E002")
        )
    short = [key_id for key_id, secret in settings.HISTORY_KEYS.items() if len(secret) < 32]
    if short:
        errors.append(
            Error(
                f"HISTORY_KEYS: the secret of {', '.join(short)} is shorter than 32 characters.",
                id="labelflow.E003",
            )
        )
    return errors
