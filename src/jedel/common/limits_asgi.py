"""The body limit for bodies that declare no length (`Transfer-Encoding: chunked`), under ASGI.

RequestSizeLimitMiddleware judges the declared Content-Length before anything reads the body. A chunked body
declares none, and Django's ASGI handler reads the whole body (spooling it to disk) before any middleware runs:
a client could stream gigabytes into the server's temporary directory. This wrapper counts the bytes as they
arrive and answers 413 as soon as the same limit is passed, before Django sees the request.
"""

from __future__ import annotations

import json
from typing import Any

from django.utils.translation import override

from jedel.common.limits import UPLOAD_PATHS, max_body_bytes, max_upload_bytes, too_large_message

Scope = dict[str, Any]


class _TooLarge(Exception):
    pass


def _limit(scope: Scope) -> int:
    """limit_for() of the request this scope starts (same rule: uploads get the larger limit)."""
    headers = dict(scope.get("headers") or [])
    content_type = headers.get(b"content-type", b"").split(b";")[0].strip().decode("latin-1")
    if content_type == "multipart/form-data" or scope.get("path", "").startswith(UPLOAD_PATHS):
        return max_upload_bytes()
    return max_body_bytes()


async def _answer_413(scope: Scope, send: Any, limit: int) -> None:
    with override(None):  # the request's language is not known yet: the site's default
        message = too_large_message(limit)
    if scope.get("path", "").startswith("/api/"):
        body = json.dumps({"detail": [{"code": "request_too_large", "msg": message, "limit_bytes": limit}]},
                          ensure_ascii=False).encode()
        content_type = b"application/json"
    else:
        body, content_type = message.encode(), b"text/plain; charset=utf-8"
    await send({"type": "http.response.start", "status": 413,
                "headers": [(b"content-type", content_type), (b"content-length", str(len(body)).encode()),
                            (b"connection", b"close")]})
    await send({"type": "http.response.body", "body": body})


class StreamedBodyLimit:
    """ASGI wrapper: 413 once an HTTP body passes its limit while arriving, whatever its headers said."""

    def __init__(self, app: Any) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        limit, received = _limit(scope), 0

        async def counted() -> Any:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > limit:
                    raise _TooLarge
            return message

        try:
            await self.app(scope, counted, send)
        except _TooLarge:
            # Raised while Django reads the body, before it starts a response: the 413 is the only answer.
            await _answer_413(scope, send, limit)
