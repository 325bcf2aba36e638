"""Websocket routes of the real-time channel (included by jedel.config.asgi)."""

from __future__ import annotations

from django.urls import path

from jedel.common.realtime.consumers import EventsConsumer

websocket_urlpatterns = [path("ws/events/", EventsConsumer.as_asgi())]
