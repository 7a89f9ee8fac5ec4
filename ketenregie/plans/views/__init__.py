"""Pages of the execution phase: case meetings, the plan, the safety plan, "Mijn acties",
escalation between directors. Every case is read through cases.access.get_case_for.

Each submodule holds one part; config/urls.py imports them directly.
"""
