"""Models of the meldcode instrument (issue 15)."""

__all__: list[str] = []
