"""Reading the environment: django-environ, made strict.

django-environ reads `DEBUG=maybe` as False and lets `int()` fail without naming the
variable. Here a malformed value stops the start with a message that names it.
"""

import re

import environ
from django.core.exceptions import ImproperlyConfigured

TRUE = {"1", "true", "yes", "on", "y"}
FALSE = {"0", "false", "no", "off", "n", ""}
KEY_ID = re.compile(r"[A-Za-z0-9_-]{1,32}")


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

    def keyring(self, var, default=environ.Env.NOTSET) -> dict[str, str]:
        """`id:secret,id:secret` as {id: secret}, in the order written. The message on a
        malformed value does not repeat it: it holds secrets."""
        raw = self.ENVIRON.get(var)
        if raw is None:
            if default is environ.Env.NOTSET:
                raise ImproperlyConfigured(f"Set the {var} environment variable.")
            return default
        keys: dict[str, str] = {}
        for item in raw.split(","):
            key_id, _, secret = item.strip().partition(":")
            if not KEY_ID.fullmatch(key_id) or not secret or key_id in keys:
                raise ImproperlyConfigured(
                    f"{var}=… is not a list of id:secret pairs separated by commas, e.g. "
                    "k2:<secret>,k1:<secret> (distinct ids of letters, digits, - or _)."
                )
            keys[key_id] = secret
        return keys
