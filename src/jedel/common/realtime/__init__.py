"""The one real-time channel: an outbox of events with a sequence number per stream, and a websocket that
replays what a client missed, filters every event through the permission policy, and never skips or repeats.

Apps publish with `jedel.common.realtime.publish.publish(...)` inside their write transaction; browsers use
`static/common/realtime.js`. Nothing is imported here so that the ASGI routing can load before the app
registry is ready.
"""
