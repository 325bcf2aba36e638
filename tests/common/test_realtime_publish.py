"""The outbox publisher: transactions, per-stream sequence numbers, sending after commit, pruning."""

from __future__ import annotations

import logging
import threading
from datetime import UTC, datetime, timedelta

import pytest
from asgiref.sync import async_to_sync
from django.db import connection, transaction
from tests.common.realtime_helpers import publish_now

from jedel.common.realtime import publish as publish_module
from jedel.common.realtime.models import Event, StreamHead
from jedel.common.realtime.publish import NotInTransaction, events_prune, publish
from jedel.common.realtime.streams import UnknownStream, group_name, register_stream

OTHER = register_stream("test.other")
T0 = datetime(2026, 12, 1, 6, 0, tzinfo=UTC)


@pytest.fixture
def sent(monkeypatch):
    """Record what would go to the channel layer instead of sending it."""
    calls: list[tuple[str, int]] = []
    monkeypatch.setattr(publish_module, "_send", lambda stream, message: calls.append((stream, message["seq"])))
    return calls


@pytest.mark.django_db(transaction=True)
def test_publish_outside_a_transaction_is_refused():
    with pytest.raises(NotInTransaction, match="inside transaction.atomic"):
        publish("capacity", "x", {}, read_action="view_board")
    assert not Event.objects.exists() and not StreamHead.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_unknown_stream_is_refused():
    with pytest.raises(UnknownStream), transaction.atomic():
        publish("no-such-stream", "x", {}, read_action="view_board")


@pytest.mark.django_db(transaction=True)
def test_seq_counts_one_two_three_per_stream_independently(sent):
    assert publish_now("capacity", 3) == [1, 2, 3]
    assert publish_now(OTHER, 2) == [1, 2]
    assert publish_now("capacity", 1) == [4]
    assert dict(StreamHead.objects.values_list("stream", "seq")) == {"capacity": 4, OTHER: 2}
    assert sent == [("capacity", 1), ("capacity", 2), ("capacity", 3), (OTHER, 1), (OTHER, 2), ("capacity", 4)]


@pytest.mark.django_db(transaction=True)
def test_event_is_stored_as_sent_with_utc_time(sent):
    with transaction.atomic():
        event = publish("capacity", "report.submitted", {"beds": (1, 2)}, read_action="view_board",
                        region_id=7, facility_id=42, now=T0)
    stored = Event.objects.get(pk=event.pk)
    assert (stored.stream, stored.seq, stored.kind, stored.data) == ("capacity", 1, "report.submitted",
                                                                    {"beds": [1, 2]})
    assert (stored.read_action, stored.region_id, stored.facility_id, stored.exercise) == ("view_board", 7, 42,
                                                                                          False)
    assert stored.at == T0


@pytest.mark.django_db(transaction=True)
def test_rollback_stores_and_sends_nothing(sent):
    publish_now("capacity", 1)
    with pytest.raises(RuntimeError), transaction.atomic():
        publish("capacity", "x", {}, read_action="view_board")
        raise RuntimeError("the write failed")
    assert sent == [("capacity", 1)]
    assert list(Event.objects.values_list("seq", flat=True)) == [1]
    assert StreamHead.objects.get(pk="capacity").seq == 1
    assert publish_now("capacity", 1) == [2]  # no hole left by the rolled-back event


@pytest.mark.django_db(transaction=True)
def test_committed_event_reaches_the_channel_group():
    from channels.layers import get_channel_layer

    layer = get_channel_layer()

    async def listen() -> dict:
        channel = await layer.new_channel()
        await layer.group_add(group_name("capacity"), channel)
        from channels.db import database_sync_to_async

        await database_sync_to_async(publish_now)("capacity", 1, region_id=3)
        return await layer.receive(channel)

    message = async_to_sync(listen)()
    assert message["type"] == "realtime.event"
    event = message["event"]
    assert (event["stream"], event["seq"], event["kind"], event["region_id"]) == ("capacity", 1, "test.tick", 3)
    assert event["at"].endswith("Z") and len(event["at"]) == len("2026-12-01T23:40:00.123456Z")


@pytest.mark.django_db(transaction=True)
def test_a_failing_channel_layer_never_fails_the_write(monkeypatch, caplog):
    def broken():
        raise ConnectionError("redis is down")

    monkeypatch.setattr("channels.layers.get_channel_layer", broken)
    with caplog.at_level(logging.WARNING, logger="jedel.common.realtime.publish"):
        assert publish_now("capacity", 1) == [1]
    assert Event.objects.get().seq == 1
    assert "capacity#1" in caplog.text and "replay" in caplog.text


@pytest.mark.django_db(transaction=True)
def test_prune_keeps_a_contiguous_tail_and_the_head(sent):
    for minutes_ago, stream in [(90, "capacity"), (80, "capacity"), (70, OTHER), (10, "capacity"), (5, OTHER)]:
        with transaction.atomic():
            publish(stream, "x", {}, read_action="view_board", now=T0 - timedelta(minutes=minutes_ago))
    # A stepped clock: capacity#4 looks old although capacity#3 is recent; pruning must not leave a hole.
    with transaction.atomic():
        publish("capacity", "x", {}, read_action="view_board", now=T0 - timedelta(minutes=100))
    with transaction.atomic():
        publish("capacity", "x", {}, read_action="view_board", now=T0)
    assert events_prune(timedelta(minutes=60), now=T0) == 5
    assert sorted(Event.objects.values_list("stream", "seq")) == [("capacity", 5), (OTHER, 2)]
    assert dict(StreamHead.objects.values_list("stream", "seq")) == {"capacity": 5, OTHER: 2}
    assert publish_now("capacity", 1) == [6]


@pytest.mark.django_db(transaction=True)
def test_concurrent_publishers_get_distinct_consecutive_seqs(sent):
    if connection.vendor != "postgresql":
        pytest.skip("concurrent publishers need PostgreSQL (DATABASE_URL=postgresql://...); SQLite's in-memory "
                    "test database cannot run concurrent writers")
    threads_n, each = 8, 5
    barrier = threading.Barrier(threads_n)
    got: list[int] = []
    errors: list[BaseException] = []

    def worker() -> None:
        try:
            barrier.wait(timeout=10)
            got.extend(publish_now("capacity", each))
        except BaseException as exc:  # noqa: BLE001 - reported to the main thread
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=worker) for _ in range(threads_n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    assert errors == []
    assert sorted(got) == list(range(1, threads_n * each + 1))
    assert sorted(Event.objects.values_list("seq", flat=True)) == list(range(1, threads_n * each + 1))
    assert StreamHead.objects.get(pk="capacity").seq == threads_n * each
    # Commit order is seq order: the events' timestamps (taken under the head lock) rise with seq.
    ats = list(Event.objects.order_by("seq").values_list("at", flat=True))
    assert ats == sorted(ats)
