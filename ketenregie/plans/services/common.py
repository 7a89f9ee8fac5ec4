"""What every write of the execution phase shares: the check that the case is running.

Every write locks what it changes, checks it, writes an audit event in the same
transaction and queues link-only mail for after the commit. Free text (minutes, plan
texts, reasons) stays out of the permanent audit trail: events name fields, not content.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from ketenregie.audit.writes import lock
from ketenregie.cases.models import Case
from ketenregie.cases.workflow import RUNNING_STATUSES, Status


def _running(case: Case) -> Case:
    locked = lock(case)
    if locked.status not in RUNNING_STATUSES:
        raise ValidationError(
            _("Dit kan alleen bij een casus in uitvoering (status nu: ‘%(status)s’).")
            % {"status": Status(locked.status).label}
        )
    return locked
