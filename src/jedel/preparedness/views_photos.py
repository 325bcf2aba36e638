"""Evidence photos on an HSI assessment: upload one for an item (size-limited, type sniffed), and serve it."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from jedel.accounts.policy import principal_for_user
from jedel.common.errors import DomainError
from jedel.common.views import domain_error_page
from jedel.preparedness import selectors
from jedel.preparedness.errors import PrepError
from jedel.preparedness.services.photos import PHOTO_MAX_BYTES, photo_add


@login_required
@require_POST
def photo_upload_action(request: HttpRequest, assessment_id: int) -> HttpResponse:
    viewer = principal_for_user(request.user)
    upload = request.FILES.get("photo")
    back = reverse("preparedness:assessment", args=[assessment_id]) + "#photos"
    try:
        if upload is None:
            raise DomainError(PrepError.PHOTO_TYPE, field="photo")
        if upload.size > PHOTO_MAX_BYTES:   # refused before the bytes are read into memory
            raise DomainError(PrepError.PHOTO_TOO_LARGE, field="photo")
        photo, created = photo_add(actor=viewer, assessment_id=assessment_id, item_code=request.POST.get("item", ""),
                                   name=upload.name or "", content=upload.read(),
                                   caption=request.POST.get("caption", ""))
    except DomainError as exc:
        if exc.status in (403, 404):
            return domain_error_page(request, exc)
        messages.error(request, str(exc.detail))
        return redirect(back)
    messages.success(request, _("Photo saved (SHA-256 %(digest)s).") % {"digest": photo.sha256[:12]} if created
                     else _("This photo is already attached to the item."))
    return redirect(back)


@login_required
def photo_view(request: HttpRequest, photo_id: int) -> HttpResponse:
    viewer = principal_for_user(request.user)
    try:
        photo = selectors.photo_get(viewer, photo_id)
    except DomainError as exc:
        return domain_error_page(request, exc)
    response = HttpResponse(bytes(photo.content), content_type=photo.content_type)
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Disposition"] = "inline"
    response["Cache-Control"] = "private, max-age=3600"
    response["ETag"] = f'"{photo.sha256}"'
    return response
