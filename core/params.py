"""One way to read a number or a code from a request: the API's filters and paginator, and the admin.

`str.isdigit()` accepts digits that `int()` refuses (`¹`, `²`) and `int()` accepts what no column holds
(`1000000000000`, ` 7`, `+7`, `٣`): each was a 500 somewhere. Here a number is 1 to 9 ASCII digits
(so it fits PostgreSQL's `integer`), a code is printable ASCII of bounded length, and anything else is
a `ValidationError` naming the parameter, which the API answers as a 400 and a form shows as a message.
"""

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

MAX_DIGITS = 9
MAX_CODE_LENGTH = 100
MAX_CODES = 100
_NUMBER = re.compile(rf"[0-9]{{1,{MAX_DIGITS}}}", re.ASCII)
# Letters, digits and the separators our slugs, keys and codes use; never a control character (a NUL
# is refused by PostgreSQL with an exception, not a query that matches nothing).
_CODE = re.compile(rf"[-A-Za-z0-9_.]{{1,{MAX_CODE_LENGTH}}}", re.ASCII)


def _invalid(name: str, message) -> ValidationError:
    return ValidationError({name: [message]}, code="invalid")


def is_number(text) -> bool:
    return isinstance(text, str) and _NUMBER.fullmatch(text) is not None


def parse_number(text, *, name: str, minimum: int = 0, maximum: int | None = None, message=None) -> int:
    """`text` as an int from `minimum` to `maximum` (ASCII digits only), or a ValidationError on `name`."""
    text = text.strip() if isinstance(text, str) else text
    if not is_number(text) or int(text) < minimum or (maximum is not None and int(text) > maximum):
        if message is None:
            if maximum is None:
                message = _("Give a whole number from %(minimum)s.") % {"minimum": minimum}
            else:
                message = _("Give a whole number from %(minimum)s to %(maximum)s.") % {
                    "minimum": minimum,
                    "maximum": maximum,
                }
        raise _invalid(name, message)
    return int(text)


def split_values(text) -> list[str]:
    """Comma-separated values, blanks dropped."""
    return [part.strip() for part in (text or "").split(",") if part.strip()]


def parse_numbers(text, *, name: str, message) -> list[int]:
    """Comma-separated numbers (`3,5`), each as `parse_number` reads it, at most MAX_CODES of them."""
    parts = split_values(text)
    if len(parts) > MAX_CODES or not all(is_number(part) for part in parts):
        raise _invalid(name, message)
    return [int(part) for part in parts]


def parse_codes(text, *, name: str, upper: bool = False) -> list[str]:
    """Comma-separated codes (`SV,GT`, slugs, keys): bounded printable ASCII, at most MAX_CODES of them."""
    parts = split_values(text)
    if len(parts) > MAX_CODES or not all(_CODE.fullmatch(part) for part in parts):
        raise _invalid(
            name,
            _("Give codes of letters, digits, '-', '_' or '.', comma-separated (at most %(count)s).")
            % {"count": MAX_CODES},
        )
    return [part.upper() for part in parts] if upper else parts


def refuse_unknown(name: str, asked, known) -> None:
    """A 400 naming the values of `asked` that are not in `known` (a filter on `?country=ZZ` would
    otherwise answer 200 with nothing, which reads as "no such rows" rather than "no such country")."""
    known = {str(value) for value in known}
    unknown = [str(value) for value in asked if str(value) not in known]
    if unknown:
        raise _invalid(name, _("Unknown value: %(values)s.") % {"values": ", ".join(unknown)})


def has_control_character(text: str) -> bool:
    """NUL and the other C0 controls but tab/newline: no parameter of ours holds them, and PostgreSQL
    refuses a NUL in any text with an exception."""
    return any(ord(char) < 32 and char not in "\t\r\n" for char in text)
