"""Reading the environment: django-environ, made strict.

django-environ reads `DEBUG=maybe` as False and lets `int()` fail without naming the
variable. Here a malformed value stops the start with a message that names it.
"""

import environ
from django.core.exceptions import ImproperlyConfigured

TRUE = {"1", "true", "yes", "on", "y"}
FALSE = {"0", "false", "no", "off", "n", ""}


class StrictEnv(environ.Env):
    def get_value(self, var, cast=None, default=environ.Env.NOTSET, parse_default=False):
        try:
            return super().get_value(var, cast=cast, default=default, parse_default=parse_default)
        except (ValueError, TypeError) as exc:
            raw = self.ENVIRON.get(var)
            raise ImproperlyConfigured(f"{var}={raw!r} is invalid: {exc}") from exc

    def bool(self, var, default=environ.Env.NOTSET):
        raw = self.ENVIRON.get(var)
        if raw is not None and raw.strip().lower() not in TRUE | FALSE:
            raise ImproperlyConfigured(
                f"{var}={raw!r} is not a boolean: use true/false, 1/0, yes/no or on/off."
            )
        return super().bool(var, default=default)

    def url(self, var, default=environ.Env.NOTSET):
        value = super().url(var, default=default)
        if value.scheme not in ("http", "https") or not value.netloc:
            raise ImproperlyConfigured(
                f"{var}={self.ENVIRON.get(var)!r} is not an http(s) URL, e.g. https://host:9000."
            )
        return value

    def db_url(self, var=environ.Env.DEFAULT_DATABASE_ENV, default=environ.Env.NOTSET,
               engine=None):  # fmt: skip
        url = self.get_value(var, default=default)
        scheme = str(url).split("://", 1)[0]
        if "://" not in str(url) or scheme not in self.DB_SCHEMES:
            raise ImproperlyConfigured(
                f"{var}={url!r} is not a database URL, e.g. postgres://user:password@host/name."
            )
        return self.db_url_config(url, engine=engine)

    db = db_url
