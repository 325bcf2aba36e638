/* The national picture of transfers: a map of patients in motion (at their estimated position on the straight line
 * from the sending to the receiving hospital) and of waiting requests (at the sending hospital), and the lists.
 * Every event of the "transfers" stream re-reads the live part (`?partial=1`) and redraws; a burst redraws once.
 */
(function () {
  "use strict";
  var cfgEl = document.getElementById("transfers-config");
  var live = document.getElementById("national-live");
  if (!cfgEl || !live) { return; }
  var cfg = JSON.parse(cfgEl.textContent);
  var t = cfg.labels || {};
  var map = null, layer = null, fitted = false;
  var COLOURS = { emergency: "#c62828", urgent: "#f9a825", planned: "#2e7d32" };

  function esc(s) {
    return String(s).replace(/[&<>"']/g, function (c) {
      return { "&": "&amp;", "<": "&lt;", ">": "&gt;", "\"": "&quot;", "'": "&#39;" }[c];
    });
  }
  function points() {
    var el = document.getElementById("transfers-points");
    return el ? JSON.parse(el.textContent) : [];
  }
  function draw() {
    var el = document.getElementById("transfers-map");
    if (!el || typeof L === "undefined") { return; }
    if (!map) {
      map = L.map(el, { zoomSnap: 0.25 }).setView([48.0, 67.0], 4);
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
    points().forEach(function (p) {
      var colour = COLOURS[p.urgency] || "#1565c0";
      if (p.to) { L.polyline([p.from, p.to], { color: colour, weight: 2, dashArray: "4 6" }).addTo(layer); }
      var moving = p.state === "departed";
      L.circleMarker(p.at, { radius: moving ? 9 : 6, color: moving ? "#0d47a1" : colour, fillColor: colour,
                             fillOpacity: 0.9, className: "transfer-marker state-" + p.state })
        .bindTooltip(esc(p.ref) + " — " + esc(p.label) + (p.mode ? " (" + esc(p.mode) + ")" : "")).addTo(layer);
    });
    layer.addTo(map);
    el.setAttribute("data-markers", String(points().length));
    if (!fitted && points().length) {
      fitted = true;
      map.fitBounds(layer.getBounds(), { padding: [20, 20], maxZoom: 9, animate: false });
    }
  }
  var timer = null, inflight = false, again = false;
  function refresh() {
    if (inflight) { again = true; return; }
    inflight = true;
    fetch(cfg.partialUrl, { credentials: "same-origin", headers: { Accept: "text/html" } })
      // A signed-out session is redirected to the sign-in page: never paste that into the picture.
      .then(function (r) { return r.ok && !r.redirected ? r.text() : null; })
      .then(function (html) {
        if (html !== null) { live.innerHTML = html; live.setAttribute("data-refreshed", String(Date.now())); draw(); }
      })
      .catch(function () { /* the next event or reconnect tries again */ })
      .then(function () { inflight = false; if (again) { again = false; schedule(); } });
  }
  function schedule() {
    if (timer) { return; }
    timer = window.setTimeout(function () { timer = null; refresh(); }, 250);
  }
  function showState(state) {
    var badge = document.getElementById("live-state");
    if (badge) { badge.setAttribute("data-state", state); badge.textContent = t[state] || ""; }
  }
  if (window.JedelRealtime) {
    window.JedelRealtime.subscribe("transfers", {
      after: cfg.head,
      onEvent: schedule,
      onReset: schedule,
      onStatus: function (state) {
        showState(state === "unauthorised" ? "offline" : state);
        if (state === "live") { schedule(); }
      }
    });
  }
  draw();
  // Patients in motion move along their line between events too.
  window.setInterval(schedule, 60000);
}());
