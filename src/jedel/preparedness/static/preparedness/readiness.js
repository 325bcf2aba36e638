/* The readiness map: the shipped region boundaries (no tile server), each region coloured by the mean Hospital
   Safety Index of its facilities' latest assessments, in the three category bands (C < 0.36 <= B < 0.66 <= A).
   Data: GET /api/preparedness/readiness (scoped by the server). Vanilla JS + Leaflet; no inline script (CSP). */
(function () {
  "use strict";
  var el = document.getElementById("readiness-map");
  var cfgEl = document.getElementById("readiness-config");
  if (!el || !cfgEl || !window.L) { return; }
  var cfg = JSON.parse(cfgEl.textContent);
  var t = cfg.i18n;
  var COLOURS = { A: "#2e7d32", B: "#f9a825", C: "#c62828" };
  var NO_DATA = "#f7f7f5";
  var map = L.map(el, { zoomSnap: 0.25, minZoom: 3, maxZoom: 10 });
  map.attributionControl.setPrefix('<a href="https://leafletjs.com">Leaflet</a>');
  map.attributionControl.addAttribution(t.boundaries);
  map.setView([48.2, 67.5], 4.5);

  function band(index) {
    if (index === null || index === undefined) { return null; }
    var r = Math.round(index * 100 + 1e-9) / 100;
    return r >= 0.66 ? "A" : (r >= 0.36 ? "B" : "C");
  }

  function legend() {
    var ctl = L.control({ position: "bottomright" });
    ctl.onAdd = function () {
      var div = L.DomUtil.create("div", "legend");
      var title = document.createElement("strong");
      title.textContent = t.legend;
      div.appendChild(title);
      [["A", "A ≥ 0.66"], ["B", "B 0.36–0.65"], ["C", "C ≤ 0.35"], [null, t.noData]].forEach(function (row) {
        var line = document.createElement("div");
        var sw = document.createElement("span");
        sw.className = "prep-swatch";
        sw.style.background = row[0] ? COLOURS[row[0]] : NO_DATA;
        line.appendChild(sw);
        line.appendChild(document.createTextNode(" " + row[1]));
        div.appendChild(line);
      });
      return div;
    };
    ctl.addTo(map);
  }

  Promise.all([
    fetch(cfg.geojsonUrl, { credentials: "same-origin" }).then(function (r) { return r.json(); }),
    fetch(cfg.dataUrl, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (r) { return r.ok ? r.json() : []; })
  ]).then(function (results) {
    var byIso = {};
    results[1].forEach(function (row) { byIso[row.iso_code] = row; });
    var coloured = 0;
    var layer = L.geoJSON(results[0], {
      style: function (feature) {
        var row = byIso[feature.properties.iso_code];
        var cat = row ? band(row.mean_index) : null;
        if (cat) { coloured += 1; }
        return { color: "#555", weight: 1, fillOpacity: row ? 0.7 : 0.15, fillColor: cat ? COLOURS[cat] : NO_DATA };
      },
      onEachFeature: function (feature, lyr) {
        lyr.bindTooltip(function () {
          var row = byIso[feature.properties.iso_code];
          var name = row ? row.name : feature.properties.iso_code;
          if (!row || row.mean_index === null) { return name + ": " + t.noData; }
          return name + " — " + t.index + ": " + row.mean_index.toFixed(2) + " (" + band(row.mean_index) + "); " +
            t.assessed + ": " + row.assessed + "/" + row.facilities + "; " + t.overdue + ": " + row.overdue_tasks +
            "; " + t.plans + ": " + row.plans_complete + " / " + row.plans_overdue + " / " + row.plans_missing +
            "; " + t.trained + ": " + row.trained;
        }, { sticky: true });
        // Drill-down: a region in the viewer's scope opens its facilities.
        lyr.on("click", function () {
          if (byIso[feature.properties.iso_code] && cfg.regionUrl) {
            window.location.href = cfg.regionUrl.replace("ISO", encodeURIComponent(feature.properties.iso_code));
          }
        });
      }
    }).addTo(map);
    // A regional or facility viewer sees their own region framed; the national picture frames the country.
    var own = L.featureGroup();
    layer.eachLayer(function (lyr) { if (byIso[lyr.feature.properties.iso_code]) { own.addLayer(L.geoJSON(lyr.feature)); } });
    var partial = results[1].length > 0 && results[1].length < results[0].features.length;
    map.fitBounds((partial ? own : layer).getBounds(), { padding: [8, 8], maxZoom: 6 });
    legend();
    el.setAttribute("data-coloured", String(coloured));  // for people's tools and tests
    el.setAttribute("data-loaded", String(results[1].length));
  });
})();
