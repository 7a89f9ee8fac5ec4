"""Roles a person can hold in Ketenregie, and what each role may do.

Roles are a short capability list (DOMAIN.md section 1), not a permission per screen.
Roles on a single case (casusregisseur, adviseur, ...) live in cases.models.CaseRole.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    AANMELDER = "aanmelder", _("Aanmelder")
    TRIAGEVOORZITTER = "triagevoorzitter", _("Triagevoorzitter")
    PROCESREGISSEUR = "procesregisseur", _("Procesregisseur")
    PROFESSIONAL = "professional", _("Ketenpartner-professional")
    MANAGER = "manager", _("Manager / coördinator")
    BEHEERDER = "beheerder", _("Functioneel beheerder")
    PRIVACY_OFFICER = "privacy_officer", _("Privacy officer (FG)")
    BELEID = "beleid", _("Bestuur en beleid")
    # The house's privacy contact (issue 13): the FG's counterpart at one house; sees that
    # house's sharing register and answers its persons' requests.
    PRIVACY_CONTACT = "privacy_contact", _("Privacycontactpersoon")
    # The PGA expert (issue 14): leads the PGA-scan and reads the house's aggregates.
    PGA_EXPERT = "pga_expert", _("PGA-expert")


# Roles that work with case content. Everyone logs in with TOTP (see
# RequireMfaMiddleware); these roles are the reason it is non-negotiable.
CASE_WORK_ROLES = frozenset(
    {Role.AANMELDER, Role.TRIAGEVOORZITTER, Role.PROCESREGISSEUR, Role.PROFESSIONAL}
)

# Roles a beheerder cannot grant alone (four eyes, ADR 11): every role that opens case
# content or personal data, and the beheerder role itself (a second beheerder account
# in one person's hands would approve its own maker's requests). Only beleid sees
# nothing but aggregated figures (DOMAIN.md section 1), so it is granted at once.
# The plain partner role (professional) is included: an organisation on a case's team
# gives its professionals the case in full.
GRANT_NEEDS_APPROVAL = frozenset(Role) - {Role.BELEID}

# Roles held for one house; the others apply everywhere (a privacy officer may hold it
# for a house or for the whole installation).
HOUSE_SCOPED_ROLES = (
    Role.TRIAGEVOORZITTER,
    Role.PROCESREGISSEUR,
    Role.MANAGER,
    Role.PRIVACY_CONTACT,
    Role.PGA_EXPERT,
)
