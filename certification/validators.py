from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _


def luhn_is_valid(digits: str) -> bool:
    total = 0
    for i, ch in enumerate(reversed(digits)):
        n = int(ch)
        if i % 2 == 1:
            n *= 2
            if n > 9:
                n -= 9
        total += n
    return total % 10 == 0


def validate_siren(value: str) -> None:
    """A SIREN is 9 digits whose Luhn checksum is valid."""
    if len(value) != 9 or not value.isdigit():
        raise ValidationError(_("A SIREN has exactly 9 digits."), code="siren_format")
    if not luhn_is_valid(value):
        raise ValidationError(_("This SIREN's checksum is wrong."), code="siren_checksum")


def validate_insee_code(value: str) -> None:
    """INSEE commune codes: 5 characters, digits except Corsica's 2A/2B."""
    ok = len(value) == 5 and (
        value.isdigit() or (value[:2] in ("2A", "2B") and value[2:].isdigit())
    )
    if not ok:
        raise ValidationError(_("An INSEE code has 5 characters, e.g. 79191."), code="insee")


def validate_sdg_goals(value) -> None:
    if not isinstance(value, list) or any(
        not isinstance(g, int) or not 1 <= g <= 17 for g in value
    ):
        raise ValidationError(_("SDG goals are numbers from 1 to 17."), code="sdg")
