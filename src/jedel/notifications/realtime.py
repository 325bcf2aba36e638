"""The notifications stream: personal events (one per in-app delivery) and notice changes for log viewers."""

from __future__ import annotations

from jedel.common.realtime.streams import register_stream

STREAM = register_stream("notices")
