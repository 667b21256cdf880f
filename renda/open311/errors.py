"""The one way an Open311 endpoint fails: the spec's error list with its HTTP status."""


class Open311Error(Exception):
    """400 bad or missing argument, 403 bad API key, 404 unknown service or request."""

    def __init__(self, code: int, description: str) -> None:
        super().__init__(description)
        self.code = code
        self.description = description


def bad_argument(description: str) -> Open311Error:
    return Open311Error(400, description)
