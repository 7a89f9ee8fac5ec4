"""The personal dashboard ("Mijn overzicht"): the top of the stack, reading every app below."""
