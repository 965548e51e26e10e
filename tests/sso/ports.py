import socket


def free_port() -> int:
    """A port nobody listens on at 127.0.0.1 now (the server started next takes it)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]
