"""Intake pages: refer, follow my referrals, screen, enrich, run the weekly triage.

Each submodule holds one part; config/urls.py imports them directly.
"""
