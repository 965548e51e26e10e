"""What the tests of a row deleted by a concurrent request share (tests/methodics/<feature>/test_races.py).

The race is made deterministic: either the service is called with a stale instance whose row is
already gone, or (through the test client) the service the view calls is wrapped so that the row
is deleted right before it runs, i.e. after the view has found it. Every case ends in a Russian
message or a 404, never a 500, and the database is left as the other request left it.
"""

YEAR = "2025-2026"


def deleted_before(monkeypatch, services, name: str, rows) -> None:
    """Another request deletes `rows` after the view has read them and before `services.<name>` writes."""
    original = getattr(services, name)

    def racing(**kwargs):
        rows.delete()
        return original(**kwargs)

    monkeypatch.setattr(services, name, racing)


def page_after(client, url, data=None, **extra) -> str:
    """POST, follow the redirect; the page must exist (no 404/500) and is returned as text."""
    response = client.post(url, data or {}, follow=True, **extra)
    assert response.status_code == 200
    return response.content.decode()
