"""What the reads of every methodics feature share (methodics/<feature>/selectors.py): whether a row
is still there, and the search of people by name.

Every feature's list is limited by schools.access: scope_q for organisation-owned objects,
municipal_scope_q for municipality-owned ones. An object outside the user's scope answers 404.
"""

from django.db.models import Q


def row_exists(model, pk) -> bool:
    """Whether the row is still there (after an action found it deleted meanwhile: where to send the user)."""
    return model.objects.filter(pk=pk).exists()


def name_q(word: str, fields: tuple[str, ...]) -> Q:
    """Any of the fields contains the word. SQLite folds case of ASCII only, so the usual spellings
    of a Cyrillic word are tried too (as typed, lower, Capitalised, UPPER)."""
    q = Q(pk__in=[])
    for variant in {word, word.lower(), word.capitalize(), word.upper()}:
        for name in fields:
            q |= Q(**{f"{name}__icontains": variant})
    return q


PERSON_FIELDS = ("last_name", "first_name", "middle_name")
