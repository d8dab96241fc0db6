"""A SIREN is nine digits with a valid Luhn checksum."""

import pytest
from django.core.exceptions import ValidationError

from certification.validators import validate_siren


@pytest.mark.parametrize("siren", ["217901917", "200093201", "214402158"])
def test_it_accepts_a_valid_siren(siren):
    validate_siren(siren)


def test_it_refuses_a_wrong_checksum():
    with pytest.raises(ValidationError) as caught:
        validate_siren("217901918")
    assert caught.value.code == "siren_checksum"


@pytest.mark.parametrize("siren", ["21790191", "2179019170", ""])
def test_it_refuses_a_wrong_length(siren):
    with pytest.raises(ValidationError) as caught:
        validate_siren(siren)
    assert caught.value.code == "siren_format"


@pytest.mark.parametrize("siren", ["21790191A", " 17901917", "2179-1917"])
def test_it_refuses_anything_but_digits(siren):
    with pytest.raises(ValidationError) as caught:
        validate_siren(siren)
    assert caught.value.code == "siren_format"
