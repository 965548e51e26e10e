"""The one root of the portal's refused actions.

A service that refuses (wrong state, missing data, a row deleted meanwhile) raises a
`DomainError` or a subclass of its own app; the view shows `str(exc)` to the user as is, so
the message is a whole Russian sentence. Programming errors stay ordinary exceptions: catching
`DomainError` never hides a bug.
"""


class DomainError(Exception):
    """A refused action; its message is shown to the user as is (in Russian)."""


class RowDeleted(DomainError):
    """The row an action is about was deleted meanwhile (by another request). `model` names the
    class of the vanished row, so a view can send the user to a page that still exists."""

    def __init__(self, message: str = "Запись уже удалена.", *, model=None):
        super().__init__(message)
        self.model = model
