/* The capacity board's map: the shipped region boundaries (no tile server needed), coloured by bed occupancy,
   and one canvas-rendered circle marker per facility coloured by emergency-department status.
   Live: a "status.changed" event on the "capacity" stream (common/realtime.js) redraws that facility's marker
   at once; the map's figures and the htmx partials are re-read on the next tick only when something changed
   (JedelBoard.due). While the socket is down every tick polls, revalidated with ETags (304 when unchanged).
   Vanilla JS + Leaflet, no build step. */
(function () {
  "use strict";
  var el = document.getElementById("board-map");
  var cfgEl = document.getElementById("board-config");
  if (!el || !cfgEl || !window.L) { return; }
  var cfg = JSON.parse(cfgEl.textContent);
  var t = cfg.i18n;

  // Same bins and colours as the .occ-* classes in jedel.css and the `occupancy_class` template filter:
  // 85 % is the usual safe-occupancy ceiling for acute beds, 95 % leaves no room for a surge.
  var BINS = [[60, "#dbe9f6"], [75, "#bdd7e7"], [85, "#6baed6"], [95, "#3182bd"], [Infinity, "#08519c"]];
  var NO_DATA = "#f7f7f5";
  var STATUS = { open: "#2e7d32", diversion: "#f9a825", closed: "#c62828", overdue: "#8a8f98", none: "#ffffff" };

  // One canvas renderer for regions and ~900 markers alike: with two stacked canvases the top one would
  // swallow the clicks meant for the regions underneath.
  var renderer = L.canvas({ padding: 0.5 });
  var map = L.map(el, { renderer: renderer, preferCanvas: true, zoomSnap: 0.25, minZoom: 3, maxZoom: 13 });
  if (cfg.tileUrl) {
    L.tileLayer(cfg.tileUrl, { attribution: cfg.tileAttribution, maxZoom: 18 }).addTo(map);
  }
  map.attributionControl.setPrefix('<a href="https://leafletjs.com">Leaflet</a>');
  map.attributionControl.addAttribution(t.boundaries);
  map.setView([48.2, 67.5], 4.5);

  var data = { regions: {}, facilities: [] };

  // Push state shared with the htmx partials' triggers: `every Ns [!window.JedelBoard || JedelBoard.due(this)]`.
  var live = false;
  var generation = 0;          // bumped by every event (and by a reset)
  var seen = {};               // element id -> generation it last refreshed at
  window.JedelBoard = {
    due: function (elt) {
      if (!live) { return true; }  // no socket: plain polling
      var id = elt && elt.id ? elt.id : "?";
      if ((seen[id] || 0) >= generation) { return false; }
      seen[id] = generation;
      return true;
    }
  };
  var regionLayer = null;
  var selectedIso = null;
  var markers = L.layerGroup().addTo(map);

  function occupancyColour(pct) {
    if (pct === null || pct === undefined) { return NO_DATA; }
    for (var i = 0; i < BINS.length; i++) { if (pct < BINS[i][0]) { return BINS[i][1]; } }
    return NO_DATA;
  }

  function esc(s) {
    return String(s === null || s === undefined ? "—" : s).replace(/[&<>"']/g, function (c) {
      return { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" }[c];
    });
  }

  // "5 min ago" in the page's language from the browser's own plural rules (kk, ru, en).
  var relative = window.Intl && Intl.RelativeTimeFormat ? new Intl.RelativeTimeFormat(cfg.lang, { style: "short" }) : null;
  function ago(minutes) {
    if (minutes === null || minutes === undefined) { return t.neverReported; }
    if (!relative) { return minutes + " min"; }
    if (minutes < 120) { return relative.format(-minutes, "minute"); }
    if (minutes < 48 * 60) { return relative.format(-Math.floor(minutes / 60), "hour"); }
    return relative.format(-Math.floor(minutes / 1440), "day");
  }

  function regionName(props) { return props["name_" + cfg.lang] || props.name_en; }

  function regionStyle(feature) {
    var iso = feature.properties.iso_code;
    var r = data.regions[iso];
    var selected = iso === selectedIso;
    var noData = !r || r.occupancy_pct === null || r.occupancy_pct === undefined;
    return { fillColor: occupancyColour(r && r.occupancy_pct), fillOpacity: 0.85,
             color: selected ? "#10233f" : noData ? "#b8bfca" : "#ffffff", weight: selected ? 2.5 : 1.2 };
  }

  function regionTooltip(feature) {
    var r = data.regions[feature.properties.iso_code] || {};
    var pct = r.occupancy_pct === null || r.occupancy_pct === undefined ? t.noData : r.occupancy_pct.toFixed(1) + " %";
    return "<strong>" + esc(regionName(feature.properties)) + "</strong><br>" + esc(t.occupancy) + ": " + esc(pct) +
      "<br>" + esc(t.available) + ": " + esc(r.available) + "<br>" + esc(t.facilities) + ": " + esc(r.facilities) +
      (r.overdue ? "<br>" + esc(t.overdue) + ": " + esc(r.overdue) : "");
  }

  function selectRegion(iso) {
    selectedIso = iso;
    if (regionLayer) { regionLayer.setStyle(regionStyle); }
    if (window.htmx) {
      window.htmx.ajax("GET", cfg.regionUrl.replace("__ISO__", encodeURIComponent(iso)),
                       { target: "#region-panel", swap: "innerHTML" });
    }
  }

  function popup(f) {
    var rows = [[t.available, f.is_inpatient ? f.available_total : null], [t.icu, f.icu_available],
                [t.occupancy, f.occupancy_pct === null ? null : f.occupancy_pct.toFixed(1) + " %"],
                [t.updated, ago(f.minutes_ago)]];
    var html = '<div class="popup-title">' + esc(f.name) + "</div>" +
      '<div class="muted small">' + esc(f.code) + " · " + esc(f.kind_label) + "</div>" +
      '<div style="margin-top:.3rem"><span class="badge ' + esc(f.marker_status) + '">' +
      esc(t[f.marker_status] || f.marker_status) + "</span>" +
      (f.synthetic ? ' <span class="badge synthetic">' + esc(t.synthetic) + "</span>" : "") + "</div>" +
      '<table class="popup-table">';
    rows.forEach(function (row) {
      if (row[1] !== null && row[1] !== undefined) { html += "<tr><td>" + esc(row[0]) + "</td><td>" + esc(row[1]) + "</td></tr>"; }
    });
    var url = cfg.facilityUrl.replace("__CODE__", encodeURIComponent(f.code));
    return html + '</table><a href="' + esc(url) + '">' + esc(t.details) + " →</a>";
  }

  function drawMarkers() {
    markers.clearLayers();
    data.facilities.forEach(function (f) {
      L.circleMarker([f.lat, f.lon], {
        renderer: renderer, radius: f.is_inpatient ? 5.5 : 3.5, color: "#1d2433", weight: 0.8,
        fillColor: STATUS[f.marker_status] || STATUS.overdue, fillOpacity: 0.95
      }).bindPopup(function () { return popup(f); }).addTo(markers);
    });
  }

  function refresh() {
    return fetch(cfg.dataUrl, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (r) { if (!r.ok) { throw new Error(r.status); } return r.json(); })
      .then(function (d) {
        data = d;
        if (regionLayer) { regionLayer.setStyle(regionStyle); }
        drawMarkers();
        var stamp = document.getElementById("map-updated");
        if (stamp) { stamp.textContent = t.mapUpdated + " " + new Date().toLocaleTimeString(cfg.lang, { hourCycle: "h23" }); }
        el.setAttribute("data-loaded", String(d.facilities.length));
      })
      .catch(function () { /* keep the last picture; the next tick retries */ });
  }

  var redrawTimer = null;
  function applyMarker(marker) {
    var found = false;
    data.facilities = data.facilities.map(function (f) {
      if (f.code !== marker.code) { return f; }
      found = true;
      return marker;
    });
    if (!found) { data.facilities.push(marker); }
    el.setAttribute("data-pushed", marker.code + ":" + marker.marker_status);  // for people's tools and tests
    // Many reports in a burst redraw once.
    if (!redrawTimer) { redrawTimer = window.setTimeout(function () { redrawTimer = null; drawMarkers(); }, 250); }
  }

  function showState(state) {
    var badge = document.getElementById("live-state");
    if (badge) { badge.setAttribute("data-state", state); badge.textContent = t[state] || ""; }
  }

  function connect() {
    if (!window.JedelRealtime || cfg.stream === undefined) { return; }
    window.JedelRealtime.subscribe(cfg.stream, {
      after: cfg.after,
      onEvent: function (ev) {
        generation += 1;
        if (ev.kind === "status.changed" && ev.data && ev.data.marker) { applyMarker(ev.data.marker); }
      },
      onReset: function () { generation += 1; refresh(); },
      onStatus: function (state) {
        var wasLive = live;
        live = state === "live";
        if (live && !wasLive) { generation += 1; }  // catch up once with what the replay may have implied
        showState(state === "unauthorised" ? "offline" : state);
      }
    });
  }

  function legend() {
    var ctl = L.control({ position: "bottomright" });
    ctl.onAdd = function () {
      var div = L.DomUtil.create("div", "legend");
      var html = "<h3>" + esc(t.legendRegions) + "</h3>";
      var lower = 0;
      BINS.forEach(function (b) {
        html += '<div><i style="background:' + b[1] + '"></i>' + (b[0] === Infinity ? "≥ " + lower : lower + "–" + b[0]) + " %</div>";
        lower = b[0];
      });
      html += '<div><i style="background:' + NO_DATA + '"></i>' + esc(t.noData) + "</div>";
      html += "<h3>" + esc(t.legendFacilities) + "</h3>";
      ["open", "diversion", "closed", "overdue", "none"].forEach(function (s) {
        html += '<div><i class="round" style="background:' + STATUS[s] + '"></i>' + esc(t[s]) + "</div>";
      });
      div.innerHTML = html;
      return div;
    };
    ctl.addTo(map);
  }

  fetch(cfg.geojsonUrl, { credentials: "same-origin" })
    .then(function (r) { return r.json(); })
    .then(function (geojson) {
      regionLayer = L.geoJSON(geojson, {
        style: regionStyle,
        onEachFeature: function (feature, layer) {
          layer.bindTooltip(function () { return regionTooltip(feature); }, { sticky: true });
          layer.on("click", function () { selectRegion(feature.properties.iso_code); });
        }
      }).addTo(map);
      regionLayer.bringToBack();
      map.fitBounds(regionLayer.getBounds(), { padding: [8, 8] });
      legend();
      return refresh();
    })
    .then(function () {
      connect();
      window.setInterval(function () {
        if (!document.hidden && window.JedelBoard.due({ id: "board-map" })) { refresh(); }
      }, cfg.pollSeconds * 1000);
    });
})();
