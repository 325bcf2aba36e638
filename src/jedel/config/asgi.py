"""ASGI entry point: HTTP through Django, websockets through Channels (ws/events/: the real-time channel)."""

import os

from django.core.asgi import get_asgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "jedel.config.settings")
from jedel.config.startup import refuse_demo_secret_key  # noqa: E402

refuse_demo_secret_key()
django_asgi_app = get_asgi_application()

from channels.auth import AuthMiddlewareStack  # noqa: E402
from channels.routing import ProtocolTypeRouter, URLRouter  # noqa: E402

from jedel.common.limits_asgi import StreamedBodyLimit  # noqa: E402
from jedel.common.realtime.origin import browser_origin_validator  # noqa: E402
from jedel.common.realtime.routing import websocket_urlpatterns  # noqa: E402

# The session cookie authenticates browsers (AuthMiddlewareStack fills scope["user"]); programs send
# `Authorization: Bearer jdl_...`, read by settings.JEDEL_REALTIME_ACCESS from the handshake headers.
from jedel.notifications.inserver import start_if_configured  # noqa: E402

start_if_configured()

application = ProtocolTypeRouter({
    "http": StreamedBodyLimit(django_asgi_app),
    "websocket": browser_origin_validator(AuthMiddlewareStack(URLRouter(websocket_urlpatterns))),
})
