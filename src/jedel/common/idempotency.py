"""`Idempotency-Key` for the API's creating POSTs: a retried request gets the stored answer and writes nothing.

A hospital system that loses the response to `POST …/reports` (timeout, dropped connection) cannot tell whether
the report was stored; with the same `Idempotency-Key` it can simply send it again. One mechanism for every
listed path (IDEMPOTENT_POSTS), applied in middleware so no handler has to remember it.

How it stays exact under concurrency: the key's row is inserted at the start of one transaction that also holds
the handler's writes and, at the end, the stored response. A second request with the same key blocks on the
unique index until the first commits (PostgreSQL; SQLite serialises writers anyway), then finds the finished
row and replays it. If the handler fails (5xx), the transaction is rolled back with the key, so a retry runs
afresh. Keys belong to the authenticated principal (token or signed-in user) and expire after
JEDEL_IDEMPOTENCY_HOURS (24 by default).
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable
from datetime import timedelta

from django.conf import settings
from django.db import IntegrityError, models, transaction
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils.translation import gettext as _

from jedel.common import clock

HEADER = "Idempotency-Key"
KEY_MAX_LENGTH = 200
KEY_PATTERN = r"^[\x21-\x7e]{1,200}$"  # printable ASCII, no spaces: UUIDs, ULIDs, message ids
_KEY = re.compile(KEY_PATTERN)
# (method, path) pairs that create something and therefore honour the key.
# Walk-ins get their tag from the server, so a retried registration or count would otherwise count a person twice.
# Casualty registration is idempotent by tag already; the key lets a scene tablet's offline queue replay each item.
IDEMPOTENT_POSTS = (re.compile(r"^/api/facilities/[^/]+/reports(/confirm)?$"), re.compile(r"^/api/facilities/import$"),
                    re.compile(r"^/api/import/edxl-have$"),
                    re.compile(r"^/api/incidents/[^/]+/walk-ins(/counts|/convert)?$"),
                    re.compile(r"^/api/incidents/[^/]+/casualties$"))
# Answers that depend on the moment rather than on the request are not replayed.
_NOT_STORED = frozenset({401, 403, 409, 429})


class IdempotencyRecord(models.Model):
    """One request made with an Idempotency-Key, and once finished its response."""

    principal = models.CharField(max_length=80)
    key = models.CharField(max_length=KEY_MAX_LENGTH)
    fingerprint = models.CharField(max_length=64, help_text="sha256 of method, path, query and body")
    status = models.PositiveSmallIntegerField(null=True)
    content_type = models.CharField(max_length=200, blank=True)
    body = models.BinaryField(default=b"")
    created_at = models.DateTimeField()
    expires_at = models.DateTimeField(db_index=True)

    class Meta:
        app_label = "common"
        constraints = [models.UniqueConstraint(fields=["principal", "key"], name="idempotency_principal_key")]


def _principal(request: HttpRequest) -> str | None:
    """Who sent the request: a hash of the bearer token, or the signed-in user; None when neither (→ 401)."""
    auth = request.META.get("HTTP_AUTHORIZATION", "")
    if auth[:7].lower() == "bearer ":
        return "token:" + hashlib.sha256(auth[7:].strip().encode()).hexdigest()[:64]
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        return f"user:{user.pk}"
    return None


def _fingerprint(request: HttpRequest) -> str:
    digest = hashlib.sha256()
    for part in (request.method or "", request.path, request.META.get("QUERY_STRING", ""),
                 request.content_type or ""):
        digest.update(part.encode() + b"\0")
    digest.update(request.body)
    return digest.hexdigest()


def _error(status: int, code: str, msg: str) -> JsonResponse:
    return JsonResponse({"detail": [{"code": code, "loc": ["header", HEADER], "msg": msg}]}, status=status)


def _replay(record: IdempotencyRecord) -> HttpResponse:
    response = HttpResponse(bytes(record.body), status=record.status, content_type=record.content_type)
    response["Idempotent-Replayed"] = "true"
    return response


class IdempotencyMiddleware:
    """Honour Idempotency-Key on IDEMPOTENT_POSTS (place after AuthenticationMiddleware)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        key = request.headers.get(HEADER)
        if key is None or request.method != "POST" or not any(p.match(request.path) for p in IDEMPOTENT_POSTS):
            return self.get_response(request)
        if not _KEY.match(key):
            return _error(422, "invalid_idempotency_key", _(
                "The Idempotency-Key must be 1 to %(max)d printable characters without spaces.")
                % {"max": KEY_MAX_LENGTH})
        principal = _principal(request)
        if principal is None:
            return self.get_response(request)  # not signed in: the API answers 401, nothing to remember
        return self._once(request, principal, key, attempts=3)

    def _once(self, request: HttpRequest, principal: str, key: str, *, attempts: int) -> HttpResponse:
        fingerprint, now = _fingerprint(request), clock.utcnow()
        with transaction.atomic():
            try:
                with transaction.atomic():  # savepoint: a duplicate key must not abort the outer transaction
                    record = IdempotencyRecord.objects.create(
                        principal=principal, key=key, fingerprint=fingerprint, created_at=now,
                        expires_at=now + timedelta(hours=getattr(settings, "JEDEL_IDEMPOTENCY_HOURS", 24)))
            except IntegrityError:
                # Another request with this key committed (we waited for it on the unique index): its answer.
                earlier = IdempotencyRecord.objects.filter(principal=principal, key=key).first()
                if (earlier is None or earlier.expires_at <= now) and attempts > 1:
                    # Gone meanwhile (that request failed and was rolled back) or expired: this one runs.
                    IdempotencyRecord.objects.filter(principal=principal, key=key, expires_at__lte=now).delete()
                    return self._once(request, principal, key, attempts=attempts - 1)
                if earlier is None:
                    return _error(409, "idempotency_in_progress", _(
                        "A request with this Idempotency-Key is still running."))
                if earlier.fingerprint != fingerprint:
                    return _error(422, "idempotency_key_reused", _(
                        "This Idempotency-Key was used for a different request; use a new key."))
                if earlier.status is None:
                    return _error(409, "idempotency_in_progress", _(
                        "A request with this Idempotency-Key is still running."))
                return _replay(earlier)
            response = self.get_response(request)
            if response.status_code >= 500:
                transaction.set_rollback(True)  # forget the key (and anything half-written): a retry runs again
                return response
            if response.status_code in _NOT_STORED or response.streaming:
                IdempotencyRecord.objects.filter(pk=record.pk).delete()  # keep the rest (e.g. a denial's audit)
                return response
            IdempotencyRecord.objects.filter(pk=record.pk).update(
                status=response.status_code, content_type=response.get("Content-Type", ""), body=response.content)
            IdempotencyRecord.objects.filter(expires_at__lte=now).delete()  # housekeeping, cheap with the index
        return response
