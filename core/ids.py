"""Ids typed by users: a query string or a form field gives text, the database takes a 64-bit integer.

`str.isdigit()` is not the test for that: it accepts "²" and "١٢" (int() refuses the first), and
a digit string of any length, which SQLite refuses to bind (OverflowError) in a foreign-key
lookup. Django's own exact lookups on a primary key answer "no row" for an id out of range;
lookups through a foreign key (`municipality_id=…`) and plain Python arithmetic do not.
"""

# BigAutoField on PostgreSQL, and SQLite's INTEGER: no row can have a larger id.
MAX_ID = 2**63 - 1


def parse_id(value) -> int | None:
    """The id written in `value` (ASCII digits, 1 … MAX_ID), else None."""
    text = str(value if value is not None else "").strip()
    if not (text.isascii() and text.isdigit()):
        return None
    number = int(text)
    return number if 0 < number <= MAX_ID else None
