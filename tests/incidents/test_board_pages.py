"""The MCI board, the assignment page and the receiving hospital's page, rendered by the server."""

from __future__ import annotations

from django.test import Client

from jedel.incidents.models import Casualty, HospitalFull
from tests.incidents.conftest import declare
from tests.incidents.distribution_helpers import SCENE, network, register_all  # noqa: F401


def _client(user):
    client = Client()
    client.force_login(user)
    return client


def test_the_board_shows_counts_hospitals_plan_and_list_and_accepts_the_plan(network):
    incident = declare(network, scene_lat=SCENE[0], scene_lon=SCENE[1], exercise=True)
    register_all(network, incident)
    nc = _client(network["users"]["nc"])
    page = nc.get(f"/incidents/{incident.pk}/board/")
    html = page.content.decode()
    assert page.status_code == 200
    assert 'id="mci-map"' in html and 'id="mci-config"' in html and "EXERCISE" in html
    assert html.count('<tr data-category="immediate"') == 3 and "Secret Name" not in html
    assert 'id="accept-plan"' in html and "Accept the proposed destinations (6 casualties)" in html
    assert "<script>" not in html  # CSP: no inline scripts (JSON data blocks only)
    plan_id = page.context["plan"].pk
    accepted = nc.post(f"/incidents/{incident.pk}/plan/accept/", {"plan": plan_id}, follow=True)
    assert "6 destinations accepted" in accepted.content.decode()
    assert set(Casualty.objects.values_list("status", flat=True)) == {"awaiting_transport"}
    partial = nc.get(f"/incidents/{incident.pk}/board/?partial=1").content.decode()
    assert "<html" not in partial and "No triaged casualty is waiting for a destination." in partial
    assert partial.count(">Waiting<") == 6
    # Anyone may see the board's figures; the casualty list and the plan only those who may see casualties.
    viewer = _client(network["users"]["viewer"]).get(f"/incidents/{incident.pk}/board/").content.decode()
    assert 'id="mci-hospitals"' in viewer and 'id="mci-casualties"' not in viewer and 'id="mci-plan"' not in viewer


def test_overriding_on_the_assign_page_needs_a_reason(network):
    incident = declare(network, scene_lat=SCENE[0], scene_lon=SCENE[1])
    register_all(network, incident, [("G1", "minimal")])
    nc = _client(network["users"]["nc"])
    page = nc.get(f"/incidents/{incident.pk}/assign/G1/")
    assert page.context["form"].initial["hospital"] == "MCI-NEAR"
    form = {"hospital": "MCI-FAR", "version": 1, "plan": page.context["plan"].pk, "reason": ""}
    refused = nc.post(f"/incidents/{incident.pk}/assign/G1/", form)
    assert refused.status_code == 422 and "Give a reason" in refused.content.decode()
    done = nc.post(f"/incidents/{incident.pk}/assign/G1/", {**form, "reason": "family there"})
    assert done.status_code == 302
    assert Casualty.objects.get(tag="G1").destination.code == "MCI-FAR"


def test_the_hospital_page_lists_incoming_and_takes_full_and_diversion(network):
    incident = declare(network, scene_lat=SCENE[0], scene_lon=SCENE[1])
    register_all(network, incident, [("R1", "immediate")])
    nc = _client(network["users"]["nc"])
    plan = nc.get(f"/incidents/{incident.pk}/board/").context["plan"]
    nc.post(f"/incidents/{incident.pk}/plan/accept/", {"plan": plan.pk})
    manager = _client(network["managers"]["MCI-NEAR"])
    page = manager.get(f"/incidents/{incident.pk}/incoming/").content.decode()
    assert 'data-tag="R1"' in page and "Waiting" in page
    manager.post(f"/incidents/{incident.pk}/incoming/", {"category": "delayed", "full": "1"})
    assert HospitalFull.objects.filter(facility__code="MCI-NEAR", category="delayed", cleared_at=None).count() == 1
    manager.post(f"/incidents/{incident.pk}/incoming/", {"action": "diversion", "tag": "R1", "note": "no CT"})
    assert "Diversion asked" in manager.get(f"/incidents/{incident.pk}/incoming/").content.decode()
    assert _client(network["users"]["rc75"]).get(f"/incidents/{incident.pk}/incoming/").status_code == 403


def test_the_live_part_is_rendered_once_per_change_for_each_kind_of_viewer(network, monkeypatch):
    """Every board re-reads the live part after each event: unchanged, it is served from the cache (one rendering
    for all boards of one kind of viewer); an event renders it afresh; each requester's form carries its own CSRF
    token; someone who may not see the casualties never gets the coordinators' part."""
    from django.middleware.csrf import CSRF_TOKEN_LENGTH

    from jedel.incidents import board_views

    renders = []
    original = board_views._board_context
    monkeypatch.setattr(board_views, "_board_context", lambda v, i: renders.append(v.label) or original(v, i))
    incident = declare(network, scene_lat=SCENE[0], scene_lon=SCENE[1])
    register_all(network, incident, [("R1", "immediate")])
    url = f"/incidents/{incident.pk}/board/?partial=1"
    first, second = (Client(enforce_csrf_checks=True), Client(enforce_csrf_checks=True))
    for c in (first, second):
        c.force_login(network["users"]["nc"])
    parts = [c.get(url).content.decode() for c in (first, second, first)]
    assert len(renders) == 1 and 'data-tag="R1"' in parts[0]
    tokens = [p.split('name="csrfmiddlewaretoken" value="')[1].split('"')[0] for p in parts]
    assert all(len(t) == CSRF_TOKEN_LENGTH for t in tokens) and "csrf-slot" not in parts[0]
    accepted = first.post(f"/incidents/{incident.pk}/plan/accept/",
                          {"plan": parts[2].split('data-plan="')[1].split('"')[0], "csrfmiddlewaretoken": tokens[2]})
    assert accepted.status_code == 302  # the cached part's form works for the one who received it
    after = first.get(url).content.decode()
    assert len(renders) == 2 and "No triaged casualty is waiting for a destination." in after
    viewer = _client(network["users"]["viewer"]).get(url).content.decode()
    assert len(renders) == 3 and 'id="mci-casualties"' not in viewer and 'id="mci-hospitals"' in viewer


def test_a_live_part_is_rendered_by_one_request_while_the_others_of_the_process_wait():
    """A burst of boards missing the cache at once (each event changes the key) costs one rendering per process."""
    import threading

    from django.core.cache import cache

    from jedel.incidents.board_live import _rendered_once

    started, release, calls = threading.Event(), threading.Event(), []

    def render():
        calls.append(1)
        started.set()
        release.wait(5)
        cache.set("mci-live:test-key", "<section>once</section>", 30)
        return "<section>once</section>"

    results: list[str] = []
    first = threading.Thread(target=lambda: results.append(_rendered_once("mci-live:test-key", render)))
    first.start()
    assert started.wait(5)
    # As live_part does: the cache first, then the one rendering (waited for when another request has it).
    waiters = [threading.Thread(target=lambda: results.append(
        cache.get("mci-live:test-key") or _rendered_once("mci-live:test-key", render))) for _ in range(3)]
    for t in waiters:
        t.start()
    release.set()
    for t in [first, *waiters]:
        t.join(10)
    assert (len(calls), results) == (1, ["<section>once</section>"] * 4)
    cache.delete("mci-live:test-key")


def test_a_request_that_missed_the_cache_as_the_rendering_ended_reads_it_instead_of_rendering_again():
    """The race the burst test met on a loaded machine (2 renderings): a board read the cache just before the
    part was stored and reached the single-flight after the renderer had let go of the key."""
    from django.core.cache import cache

    from jedel.incidents.board_live import _rendered_once

    calls: list[int] = []

    def render():
        calls.append(1)
        cache.set("mci-live:late-key", "<section>once</section>", 30)
        return "<section>once</section>"

    assert _rendered_once("mci-live:late-key", render) == "<section>once</section>"
    assert _rendered_once("mci-live:late-key", render) == "<section>once</section>"  # missed the cache before
    assert len(calls) == 1
    cache.delete("mci-live:late-key")
