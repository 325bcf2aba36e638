"""Chunked bodies (no Content-Length) are counted as they arrive and stopped at the limit with a 413 (ASGI).

Driven at the ASGI level: a client streaming 100 MB in 256 KiB chunks must be cut off after the chunk that
passes the limit, not read to the end (Django's handler would have spooled it all to disk)."""

from __future__ import annotations

import asyncio
import json

from django.test import override_settings

from jedel.common.limits_asgi import StreamedBodyLimit

KB = 1024
CHUNK = 256 * KB


def _drive(path: str, chunks: int, *, content_type: bytes = b"application/json"):
    """Run StreamedBodyLimit around an app that reads the whole body; return (status, body, chunks consumed,
    bytes the inner app saw or None)."""
    consumed, sent, seen = 0, [], {}

    async def receive():
        nonlocal consumed
        consumed += 1
        return {"type": "http.request", "body": b"x" * CHUNK, "more_body": consumed < chunks}

    async def send(message):
        sent.append(message)

    async def reading_app(scope, receive, send):
        size, more = 0, True
        while more:
            message = await receive()
            size += len(message.get("body", b""))
            more = message.get("more_body", False)
        seen["bytes"] = size
        await send({"type": "http.response.start", "status": 204, "headers": []})
        await send({"type": "http.response.body", "body": b""})

    scope = {"type": "http", "method": "POST", "path": path,
             "headers": [(b"content-type", content_type), (b"transfer-encoding", b"chunked")]}
    asyncio.run(StreamedBodyLimit(reading_app)(scope, receive, send))
    return sent[0]["status"], b"".join(m.get("body", b"") for m in sent[1:]), consumed, seen.get("bytes")


def test_a_chunked_api_body_is_cut_off_at_the_limit_with_the_limit_stated():
    status, body, consumed, seen = _drive("/api/facilities/ALA-A/reports", chunks=400)  # 100 MB offered
    assert (status, consumed, seen) == (413, 5, None)  # 5 × 256 KiB is the first total over 1 MiB
    assert json.loads(body) == {"detail": [{
        "code": "request_too_large", "limit_bytes": 1024 * KB,
        "msg": "The request body is larger than the 1 MB this server accepts."}]}


def test_a_chunked_body_within_the_limit_reaches_the_application_whole():
    assert _drive("/api/facilities/ALA-A/reports", chunks=4) == (204, b"", 4, 4 * CHUNK)


def test_uploads_get_the_upload_limit_and_pages_a_plain_answer():
    # 40 × 256 KiB = 10 MiB: within the 20 MB upload limit on the import path, over the 1 MB one elsewhere.
    assert _drive("/api/facilities/import", chunks=40, content_type=b"text/csv")[0] == 204
    assert _drive("/facilities/upload", chunks=40, content_type=b"multipart/form-data; boundary=x")[0] == 204
    status, body, consumed, _ = _drive("/accounts/login/", chunks=40, content_type=b"application/x-www-form-urlencoded")
    assert (status, consumed) == (413, 5)
    assert body == b"The request body is larger than the 1 MB this server accepts."


@override_settings(JEDEL_MAX_BODY_BYTES=300 * KB)
def test_the_limit_comes_from_settings():
    assert _drive("/api/triage/start", chunks=4)[:3] == (413, b'{"detail": [{"code": "request_too_large", '
                                                       b'"msg": "The request body is larger than the 0.3 MB this '
                                                       b'server accepts.", "limit_bytes": 307200}]}', 2)


def test_the_production_asgi_application_counts_http_bodies():
    from jedel.config.asgi import application

    assert isinstance(application.application_mapping["http"], StreamedBodyLimit)
