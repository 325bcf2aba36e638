"""The notifications streams: each person's inbox (a personal stream) and notice changes for log viewers.

"inbox" is personal (one sequence per recipient, see jedel.common.realtime.streams): a notice reaching 2,000
people is 2,000 one-person events, each carried only to its recipient's sockets, and a reconnecting person
replays only what they missed. "notices" is shared and carries only what message pages and statistics of the
people entitled to see a notice's log need.
"""

from __future__ import annotations

from jedel.common.realtime.streams import register_stream

STREAM = register_stream("notices")
INBOX = register_stream("inbox", personal=True)
