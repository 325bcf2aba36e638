"""The security console's stream: panic alerts raised, pressed again, acknowledged and resolved.

Shared (not personal): every console of a facility, and the regional security lead's, follows the same events;
each event carries its facility and region, and the socket passes it only to those the policy lets watch there.
A console that reconnects replays everything after the last seq it saw, so no alarm raised meanwhile is lost.
"""

from __future__ import annotations

from jedel.common.realtime.streams import register_stream

STREAM = register_stream("security")
