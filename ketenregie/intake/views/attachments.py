"""Downloading a referral's attachment, read through the case gate.

Always as a download (Content-Disposition: attachment), with the content type and the
extension of the type detected at upload (core.uploads), never the uploader's extension;
nosniff comes from SecurityMiddleware.
"""

from __future__ import annotations

import logging

from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404

from ketenregie.audit import services as audit
from ketenregie.cases.access import get_case_for
from ketenregie.cases.models import ExchangeKind
from ketenregie.cases.sharing import record_exchange
from ketenregie.core.http import AuthedRequest
from ketenregie.core.uploads import BY_CONTENT_TYPE, UNKNOWN, display_name
from ketenregie.intake.models import (
    Attachment,
)

logger = logging.getLogger(__name__)


@login_required
def attachment_download(request: AuthedRequest, attachment_id: int) -> FileResponse:
    attachment = get_object_or_404(Attachment.objects.select_related("referral"), pk=attachment_id)
    case = get_case_for(request.user, attachment.referral.case_id)
    if not case.full_access:
        raise Http404
    with transaction.atomic():
        audit.record(
            "referral.attachment_downloaded",
            actor=request.user,
            case_id=case.pk,
            obj=attachment,
            purpose="aanmelding",
        )
        record_exchange(
            ExchangeKind.ATTACHMENT,
            actor=request.user,
            case=case,
            to_label=request.user.get_username(),
            to_organisations=[request.user.organisation],
            from_house=True,
        )
    # Rows from before the whole-file check know only the allowed types too.
    file_type = BY_CONTENT_TYPE.get(attachment.content_type, UNKNOWN)
    try:
        handle = attachment.file.open("rb")
    except FileNotFoundError:
        logger.error("attachment %s has no file (manage.py check_files)", attachment.pk)
        raise Http404 from None
    return FileResponse(
        handle,
        as_attachment=True,
        filename=display_name(attachment.original_name, file_type),
        content_type=file_type.content_type,
    )
