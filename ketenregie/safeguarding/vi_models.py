"""Models of the vi instrument (issue 15)."""

__all__: list[str] = []
