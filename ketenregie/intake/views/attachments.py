"""Downloading a referral's attachment, read through the case gate."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404

from ketenregie.audit import services as audit
from ketenregie.cases.access import get_case_for
from ketenregie.core.http import AuthedRequest
from ketenregie.intake.models import (
    Attachment,
)


@login_required
def attachment_download(request: AuthedRequest, attachment_id: int) -> FileResponse:
    attachment = get_object_or_404(Attachment.objects.select_related("referral"), pk=attachment_id)
    case = get_case_for(request.user, attachment.referral.case_id)
    if not case.full_access:
        raise Http404
    audit.record(
        "referral.attachment_downloaded",
        actor=request.user,
        case_id=case.pk,
        obj=attachment,
        purpose="aanmelding",
    )
    handle = attachment.file.open("rb")
    return FileResponse(
        handle,
        as_attachment=True,
        filename=attachment.original_name,
        content_type=attachment.content_type,
    )
