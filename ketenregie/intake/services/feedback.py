"""Feedback to the referrer: the link-only message with its mail, the date of a triage
meeting as the messages name it, marking messages read, and deleting them when their
retention period has passed.
"""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from ketenregie.accounts.models import User
from ketenregie.audit import services as audit
from ketenregie.core.mail import send_link_mail
from ketenregie.intake.models import (
    Feedback,
    Referral,
    TriageMeeting,
)


def _feedback(referral: Referral, message: str, *, subject: str) -> None:
    """A terugmelding in the product, and a link-only e-mail to the referrer."""
    case = referral.case
    Feedback.objects.create(
        recipient=referral.referrer,
        case_id=case.pk,
        case_code=case.code,
        message=message,
        created_at=timezone.now(),
    )
    send_link_mail(
        [referral.referrer.email],
        subject=subject,
        text=f"Er is een terugmelding over aanmelding {case.code}.",
        path=reverse("my_referrals"),
    )


def tell_referrer_closed(case_id: int, *, provisional: bool) -> bool:
    """The referrer hears that the case of their referral closed: a terugmelding and a
    link-only e-mail (no content: they are not on the case team). False when the case has
    no referral or its referrer left."""
    from django.utils.translation import gettext as _

    referral = Referral.objects.select_related("case", "referrer").filter(case_id=case_id).first()
    if referral is None or not referral.referrer.is_active:
        return False
    message = (
        _("De casus van uw aanmelding %(code)s is voorlopig afgesloten.")
        if provisional
        else _("De casus van uw aanmelding %(code)s is afgesloten.")
    ) % {"code": referral.case.code}
    _feedback(referral, message, subject=_("casus afgesloten"))
    return True


def format_meeting(meeting: TriageMeeting) -> str:
    from django.utils.formats import date_format

    start = timezone.localtime(meeting.starts_at)
    return f"{date_format(start, 'l j F Y')} om {start:%H:%M} uur"


@transaction.atomic
def mark_feedback_read(recipient: User) -> int:
    """The referrer marks their unread terugmeldingen read; audited like every write."""
    unread = Feedback.objects.select_for_update().filter(recipient=recipient, read_at=None)
    ids = list(unread.values_list("pk", flat=True))
    if ids:
        Feedback.objects.filter(pk__in=ids).update(read_at=timezone.now())
        audit.record("feedback.read", actor=recipient, data={"aantal": len(ids)})
    return len(ids)


def delete_feedback_of_case(case_id: int) -> int:
    """Retention deletes a case: its terugmeldingen go with it (they name its outcome)."""
    deleted, _per_model = Feedback.objects.filter(case_id=case_id).delete()
    return deleted


def delete_rejection_feedback_before(
    house_code: str, before: dt.datetime, *, count_only: bool = False
) -> int:
    """The terugmeldingen of rejected referrals (no case left) of one house, older than
    `before`: their text holds the chair's reason and advice. The house is known only by
    the case code's prefix (`cases.services.next_case_code`)."""
    rows = Feedback.objects.filter(
        case_id__isnull=True, case_code__startswith=f"{house_code}-", created_at__lt=before
    )
    if count_only:
        return rows.count()
    deleted, _per_model = rows.delete()
    return deleted
