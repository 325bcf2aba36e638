/* The capacity board's map: the shipped region boundaries (no tile server needed), coloured by bed occupancy
   in classes of about a fifth of the regions each (the server sends the class edges: regional occupancy sits in
   a narrow band, fixed bins painted every region alike), and one canvas-rendered circle marker per facility
   coloured by emergency-department status, clustered with counts where they crowd (Leaflet.markercluster,
   vendored under capacity/vendor). Clicking a region zooms to it and lists its facilities. Markers are
   updated in place on every refresh, so an open popup stays open. The legend folds away (folded on phones).
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
  // Back/Forward reload the address (filters, sort and page are in it) rather than restore an htmx snapshot
  // of the page, which would bring back a dead copy of this live map.
  if (window.htmx) { window.htmx.config.historyCacheSize = 0; window.htmx.config.refreshOnHistoryMiss = true; }
  var narrow = window.matchMedia && window.matchMedia("(max-width: 640px)").matches;

  // Sequential blues (ColorBrewer), lightest = least occupied; fewer classes take colours spread over the ramp.
  var RAMP = ["#deebf7", "#9ecae1", "#6baed6", "#3182bd", "#08519c"];
  var NO_DATA = "#f7f7f5";
  var STATUS = { open: "#2e7d32", diversion: "#f9a825", closed: "#c62828", overdue: "#8a8f98", none: "#ffffff" };
  var SEVERITY = { closed: 4, diversion: 3, open: 2, overdue: 1, none: 0 };

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
  // A poll updates a panel in place, cell by cell, instead of swapping the whole panel in. The swap (outerHTML,
  // every tick while the socket is down) replaced every node of the facility table each second, and with ~100
  // rows some "N min ago" ticks over nearly every second, so whatever a person was reading, or a test was
  // measuring, was detached under them (the phone card's "Available" cell measured with no box in Kazakh).
  // Now only cells whose content changed get it, the cells themselves stay; a panel whose shape changed
  // (other rows, another page) is swapped as before. Polls only: a sort link or the pager always swaps.
  function syncAttributes(cur, fresh) {
    Array.prototype.slice.call(cur.attributes).forEach(function (a) {
      if (!fresh.hasAttribute(a.name)) { cur.removeAttribute(a.name); }
    });
    Array.prototype.forEach.call(fresh.attributes, function (a) {
      if (cur.getAttribute(a.name) !== a.value) { cur.setAttribute(a.name, a.value); }
    });
  }
  function changedCells(cur, fresh, out) {  // false when the shapes differ
    if (cur.tagName !== fresh.tagName) { return false; }
    if (cur.outerHTML === fresh.outerHTML) { return true; }
    if (cur.tagName === "TD" || cur.tagName === "TH" || !cur.children.length || !fresh.children.length) {
      out.push([cur, fresh]);
      return true;
    }
    if (cur.children.length !== fresh.children.length) { return false; }
    var before = out.length;
    for (var i = 0; i < cur.children.length; i++) {
      if (!changedCells(cur.children[i], fresh.children[i], out)) { return false; }
    }
    if (out.length === before) { return false; }  // a text of the container itself changed: swap
    out.push([cur, fresh, true]);  // its own attributes only (a row turning overdue)
    return true;
  }
  document.addEventListener("htmx:beforeSwap", function (e) {
    var target = e.detail.target;
    var config = e.detail.requestConfig;
    if (!e.detail.shouldSwap || !target || !target.id || !config || config.elt !== target) { return; }
    var fresh = new DOMParser().parseFromString(e.detail.serverResponse || "", "text/html").getElementById(target.id);
    if (!fresh) { return; }
    // The out-of-band copy of the sort field (board_table.html) is the same on a poll: it is not compared.
    Array.prototype.forEach.call(fresh.querySelectorAll("[hx-swap-oob]"), function (n) { n.remove(); });
    var changes = [];
    if (fresh.children.length !== target.children.length) { return; }
    for (var i = 0; i < target.children.length; i++) {
      if (!changedCells(target.children[i], fresh.children[i], changes)) { return; }
    }
    changes.forEach(function (c) {
      syncAttributes(c[0], c[1]);
      if (c[2]) { return; }
      c[0].innerHTML = c[1].innerHTML;
      if (window.htmx) { window.htmx.process(c[0]); }
    });
    e.detail.shouldSwap = false;
  });
  var regionLayer = null;
  var selectedIso = null;
  var layerByIso = {};
  var byCode = {};  // facility code -> its marker, kept across refreshes

  // A cluster takes the colour of its most severe facility, so one closed ED is not hidden in a crowd.
  function clusterIcon(cluster) {
    var worst = "none";
    cluster.getAllChildMarkers().forEach(function (m) {
      var s = m.jedel ? m.jedel.marker_status : "none";
      if ((SEVERITY[s] || 0) > SEVERITY[worst]) { worst = s; }
    });
    var n = cluster.getChildCount();
    var size = n < 10 ? 30 : n < 100 ? 36 : 44;
    return L.divIcon({ html: "<span>" + n + "</span>", className: "cluster cluster-" + worst,
                       iconSize: L.point(size, size) });
  }
  var markers = window.L.markerClusterGroup ? L.markerClusterGroup({
    maxClusterRadius: 36, showCoverageOnHover: false, spiderfyOnMaxZoom: true, disableClusteringAtZoom: 12,
    chunkedLoading: true, iconCreateFunction: clusterIcon
  }) : L.featureGroup();
  markers.addTo(map);

  // For people's tools and the browser tests: the map and a facility's marker.
  window.JedelBoard.map = map;
  window.JedelBoard.marker = function (code) { return byCode[code] || null; };

  function colours() {
    var n = Math.min(Math.max((data.occupancy_classes || []).length - 1, 1), RAMP.length);
    if (n === 1) { return [RAMP[2]]; }
    var out = [];
    for (var i = 0; i < n; i++) { out.push(RAMP[Math.round(i * (RAMP.length - 1) / (n - 1))]); }
    return out;
  }

  function occupancyClass(pct) {
    var edges = data.occupancy_classes || [];
    if (pct === null || pct === undefined || edges.length < 2) { return -1; }
    var k = 0;
    for (var i = 1; i < edges.length - 1; i++) { if (pct >= edges[i]) { k = i; } }
    return k;
  }

  function occupancyColour(pct) {
    var k = occupancyClass(pct);
    return k < 0 ? NO_DATA : colours()[Math.min(k, colours().length - 1)];
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
    if (layerByIso[iso]) { map.fitBounds(layerByIso[iso].getBounds(), { padding: [12, 12], maxZoom: 10 }); }
    el.setAttribute("data-selected", iso);
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

  function markerStyle(f) {
    return { radius: f.is_inpatient ? 5.5 : 3.5, fillColor: STATUS[f.marker_status] || STATUS.overdue };
  }

  // Update markers in place: recreating them on every refresh closed any popup a person had open.
  function drawMarkers() {
    var present = {};
    var added = [];
    var restyled = [];
    data.facilities.forEach(function (f) {
      present[f.code] = true;
      var m = byCode[f.code];
      if (!m) {
        m = L.circleMarker([f.lat, f.lon], L.extend({ renderer: renderer, color: "#1d2433", weight: 0.8,
                                                      fillOpacity: 0.95 }, markerStyle(f)));
        m.bindPopup(function (layer) { return popup(layer.jedel); });
        byCode[f.code] = m;
        added.push(m);
      } else {
        if (m.jedel.marker_status !== f.marker_status || m.jedel.is_inpatient !== f.is_inpatient) {
          m.setStyle(markerStyle(f)).setRadius(markerStyle(f).radius);
          restyled.push(m);
        }
        if (m.jedel.lat !== f.lat || m.jedel.lon !== f.lon) { m.setLatLng([f.lat, f.lon]); }
      }
      m.jedel = f;
      if (m.isPopupOpen()) { m.getPopup().setContent(popup(f)); }
    });
    Object.keys(byCode).forEach(function (code) {
      if (!present[code]) { markers.removeLayer(byCode[code]); delete byCode[code]; }
    });
    if (added.length) { if (markers.addLayers) { markers.addLayers(added); } else { added.forEach(function (m) { markers.addLayer(m); }); } }
    if (restyled.length && markers.refreshClusters) { markers.refreshClusters(restyled); }
  }

  function refresh() {
    return fetch(cfg.dataUrl, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (r) { if (!r.ok) { throw new Error(r.status); } return r.json(); })
      .then(function (d) {
        data = d;
        if (regionLayer) { regionLayer.setStyle(regionStyle); }
        drawMarkers();
        drawLegend();
        var used = {};
        Object.keys(d.regions).forEach(function (iso) { used[occupancyColour(d.regions[iso].occupancy_pct)] = true; });
        el.setAttribute("data-region-colours", String(Object.keys(used).length));  // for people's tools and tests
        var stamp = document.getElementById("map-updated");
        if (stamp) { stamp.textContent = t.mapUpdated + " " + new Date().toLocaleTimeString(cfg.lang, { hourCycle: "h23", timeZone: cfg.timeZone }); }
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

  // The legend is a <details>: it folds to one line (folded from the start on phones, where it covered half the
  // map). Only its body is redrawn on refresh, so a person's open/closed choice stays.
  var legendBody = null;
  function legend() {
    var ctl = L.control({ position: "bottomright" });
    ctl.onAdd = function () {
      var div = L.DomUtil.create("details", "legend");
      if (!narrow) { div.open = true; }
      div.innerHTML = "<summary>" + esc(t.legend) + "</summary><div class=\"legend-body\"></div>";
      legendBody = div.querySelector(".legend-body");
      L.DomEvent.disableClickPropagation(div);
      L.DomEvent.disableScrollPropagation(div);
      return div;
    };
    ctl.addTo(map);
    drawLegend();
  }

  function fmt(pct) { return pct.toLocaleString(cfg.lang, { minimumFractionDigits: 1, maximumFractionDigits: 1 }); }

  function drawLegend() {
    if (!legendBody) { return; }
    var edges = data.occupancy_classes || [];
    var html = "<h3>" + esc(t.legendRegions) + "</h3>";
    colours().forEach(function (c, k) {
      if (edges.length < 2) { return; }
      var lower = edges[k], upper = edges[k + 1];
      html += '<div class="legend-class"><i style="background:' + c + '"></i>' +
        (lower === upper ? fmt(lower) : fmt(lower) + "–" + fmt(upper)) + " %</div>";
    });
    html += '<div><i style="background:' + NO_DATA + '"></i>' + esc(t.noData) + "</div>";
    if (edges.length > 2) { html += '<div class="legend-note">' + esc(t.legendClasses) + "</div>"; }
    html += "<h3>" + esc(t.legendFacilities) + "</h3>";
    ["open", "diversion", "closed", "overdue", "none"].forEach(function (s) {
      html += '<div><i class="round" style="background:' + STATUS[s] + '"></i>' + esc(t[s]) + "</div>";
    });
    html += '<div><i class="round cluster-sample"></i>' + esc(t.cluster) + "</div>";
    legendBody.innerHTML = html;
  }

  // Back to the whole country after zooming into a region.
  function homeControl(bounds) {
    var ctl = L.control({ position: "topleft" });
    ctl.onAdd = function () {
      var b = L.DomUtil.create("button", "map-home leaflet-bar");
      b.type = "button";
      b.textContent = t.wholeCountry;
      L.DomEvent.disableClickPropagation(b);
      L.DomEvent.on(b, "click", function () { map.fitBounds(bounds, { padding: [8, 8] }); });
      return b;
    };
    ctl.addTo(map);
  }

  fetch(cfg.geojsonUrl, { credentials: "same-origin" })
    .then(function (r) { return r.json(); })
    .then(function (geojson) {
      regionLayer = L.geoJSON(geojson, {
        style: regionStyle,
        onEachFeature: function (feature, layer) {
          layerByIso[feature.properties.iso_code] = layer;
          layer.bindTooltip(function () { return regionTooltip(feature); }, { sticky: true });
          layer.on("click", function () { selectRegion(feature.properties.iso_code); });
        }
      }).addTo(map);
      regionLayer.bringToBack();
      map.fitBounds(regionLayer.getBounds(), { padding: [8, 8] });
      homeControl(regionLayer.getBounds());
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
