/* The MCI board: a map of the scene, collection points and receiving hospitals, client-side filters of the casualty
 * list, and live updates. Every event about this incident (casualties, plans, hospitals full), every change of a
 * notice (a hospital acknowledging) and every capacity report re-reads the board's live part from the server
 * (`?partial=1`) and swaps it in; a burst of events (one per affected region, many casualties) redraws once.
 */
(function () {
  "use strict";
  var cfgEl = document.getElementById("mci-config");
  var live = document.getElementById("board-live");
  if (!cfgEl || !live) { return; }
  var cfg = JSON.parse(cfgEl.textContent);
  var t = cfg.labels || {};
  var map = null, layer = null, fitted = false;

  function esc(s) {
    return String(s).replace(/[&<>"']/g, function (c) {
      return { "&": "&amp;", "<": "&lt;", ">": "&gt;", "\"": "&quot;", "'": "&#39;" }[c];
    });
  }

  function data() {
    var el = document.getElementById("mci-data");
    return el ? JSON.parse(el.textContent) : null;
  }

  function drawMap() {
    var el = document.getElementById("mci-map");
    var d = data();
    if (!el || !d || typeof L === "undefined") { return; }
    if (!map) {
      map = L.map(el, { zoomSnap: 0.25 }).setView(d.scene, 11);
      if (cfg.boundariesUrl) {
        fetch(cfg.boundariesUrl, { credentials: "same-origin" })
          .then(function (r) { return r.ok ? r.json() : null; })
          .then(function (g) {
            if (g) { L.geoJSON(g, { style: { color: "#777", weight: 1, fillOpacity: 0.03 } }).addTo(map).bringToBack(); }
          });
      }
    }
    if (layer) { layer.remove(); }
    layer = L.featureGroup();
    L.circleMarker(d.scene, { radius: 10, color: "#b71c1c", fillColor: "#e53935", fillOpacity: 0.9 })
      .bindTooltip(esc(t.scene) + ": " + esc(d.title)).addTo(layer);
    (d.points || []).forEach(function (p) {
      L.circleMarker([p.lat, p.lon], { radius: 7, color: "#e65100", fillColor: "#ff9800", fillOpacity: 0.9 })
        .bindTooltip(esc(t.point) + ": " + esc(p.name)).addTo(layer);
    });
    (d.hospitals || []).forEach(function (h) {
      var busy = h.incoming + h.arrived > 0;
      L.circleMarker([h.lat, h.lon], { radius: busy ? 9 : 6, color: "#0d47a1",
                                        fillColor: h.remaining > 0 ? "#42a5f5" : "#9e9e9e", fillOpacity: 0.9 })
        .bindTooltip(esc(h.name) + " — " + h.incoming + " " + esc(t.incoming) + ", " + h.arrived + " " +
                     esc(t.arrived) + ", " + h.remaining + " " + esc(t.remaining))
        .addTo(layer);
    });
    layer.addTo(map);
    if (!fitted) {
      fitted = true;
      map.fitBounds(layer.getBounds(), { padding: [20, 20], maxZoom: 13 });
    }
  }

  function filter() {
    var want = {
      category: document.getElementById("filter-category").value,
      status: document.getElementById("filter-status").value,
      hospital: document.getElementById("filter-hospital").value
    };
    var rows = document.querySelectorAll("#mci-casualties tbody tr[data-status]");
    var shown = 0;
    Array.prototype.forEach.call(rows, function (row) {
      var ok = Object.keys(want).every(function (k) { return !want[k] || row.dataset[k] === want[k]; });
      row.hidden = !ok;
      if (ok) { shown += 1; }
    });
    var count = document.getElementById("filter-count");
    if (count) { count.textContent = rows.length ? shown + " / " + rows.length : ""; }
  }

  var timer = null, inflight = false, again = false, lastStart = 0;
  function refresh() {
    if (inflight) { again = true; return; }
    inflight = true;
    lastStart = Date.now();
    fetch(cfg.partialUrl, { credentials: "same-origin", headers: { Accept: "text/html" } })
      .then(function (r) { return r.ok ? r.text() : null; })
      .then(function (html) {
        if (html !== null) {
          live.innerHTML = html;
          live.setAttribute("data-refreshed", String(Date.now()));
          filter();
          drawMap();
        }
      })
      .catch(function () { /* the next event or reconnect tries again */ })
      .then(function () {
        inflight = false;
        if (again) { again = false; schedule(); }
      });
  }
  // A burst of events costs one re-read: the first waits 250 ms for the rest of the burst; while events keep
  // coming, the board re-reads at most every 3 s (200 boards re-reading every second kept two cores busy).
  function schedule() {
    if (timer) { return; }
    var wait = Math.max(250, 3000 - (Date.now() - lastStart));
    timer = window.setTimeout(function () { timer = null; refresh(); }, wait);
  }

  function showState(state) {
    var badge = document.getElementById("live-state");
    if (badge) { badge.setAttribute("data-state", state); badge.textContent = t[state] || ""; }
  }

  function subscribe() {
    if (!window.JedelRealtime) { return; }
    var mine = function (ev) { return ev.data && ev.data.incident === cfg.incident; };
    window.JedelRealtime.subscribe("incidents", {
      after: cfg.heads.incidents,
      onEvent: function (ev) { if (mine(ev)) { schedule(); } },
      onReset: schedule,
      onStatus: function (state) {
        showState(state === "unauthorised" ? "offline" : state);
        if (state === "live") { schedule(); }  // catch up with what happened while disconnected
      }
    });
    window.JedelRealtime.subscribe("notices", {
      after: cfg.heads.notices,
      onEvent: function (ev) { if (ev.data && ev.data.kind === "incoming_patient") { schedule(); } },
      onReset: schedule
    });
    window.JedelRealtime.subscribe("capacity", {
      after: cfg.heads.capacity,
      onEvent: function (ev) { if (ev.kind === "status.changed") { schedule(); } },
      onReset: schedule
    });
  }

  ["filter-category", "filter-status", "filter-hospital"].forEach(function (id) {
    var el = document.getElementById(id);
    if (el) { el.addEventListener("change", filter); }
  });
  filter();
  drawMap();
  subscribe();
}());
