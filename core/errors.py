"""The one root of the portal's refused actions.

A service that refuses (wrong state, missing data, a row deleted meanwhile) raises a
`DomainError` or a subclass of its own app; the view shows `str(exc)` to the user as is, so
the message is a whole Russian sentence. Programming errors stay ordinary exceptions: catching
`DomainError` never hides a bug.
"""


class DomainError(Exception):
    """A refused action; its message is shown to the user as is (in Russian)."""
