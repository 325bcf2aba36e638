/* The compliance map: shipped region boundaries (no tile server), each region coloured by the share of its
   mandated facilities (ERs, children's, perinatal) that have a 24/7 post, CCTV over the ER and tested panic
   buttons. Data: GET /api/security/compliance (scoped by the server). No inline script (CSP). */
(function () {
  "use strict";
  var el = document.getElementById("compliance-map");
  var cfgEl = document.getElementById("compliance-config");
  if (!el || !cfgEl || !window.L) { return; }
  var cfg = JSON.parse(cfgEl.textContent);
  var t = cfg.i18n;
  var NO_DATA = "#f7f7f5";
  function colour(share) { return share >= 0.9 ? "#2e7d32" : (share >= 0.5 ? "#f9a825" : "#c62828"); }
  var map = L.map(el, { zoomSnap: 0.25, minZoom: 3, maxZoom: 10 });
  map.attributionControl.setPrefix('<a href="https://leafletjs.com">Leaflet</a>');
  map.attributionControl.addAttribution(t.boundaries);
  map.setView([48.2, 67.5], 4.5);
  Promise.all([
    fetch(cfg.geojsonUrl, { credentials: "same-origin" }).then(function (r) { return r.json(); }),
    fetch(cfg.dataUrl, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (r) { return r.ok ? r.json() : { regions: [] }; })
  ]).then(function (results) {
    var byIso = {};
    results[1].regions.forEach(function (row) { byIso[row.iso_code] = row; });
    var coloured = 0;
    var layer = L.geoJSON(results[0], {
      style: function (feature) {
        var row = byIso[feature.properties.iso_code];
        var has = row && row.share !== null;
        if (has) { coloured += 1; }
        return { color: "#555", weight: 1, fillOpacity: has ? 0.7 : 0.15, fillColor: has ? colour(row.share) : NO_DATA };
      },
      onEachFeature: function (feature, lyr) {
        lyr.bindTooltip(function () {
          var row = byIso[feature.properties.iso_code];
          if (!row) { return feature.properties.iso_code + ": " + t.noData; }
          return row.name + " — " + t.compliant + ": " + row.compliant + "/" + row.mandated;
        }, { sticky: true });
      }
    }).addTo(map);
    map.fitBounds(layer.getBounds(), { padding: [8, 8], maxZoom: 6 });
    el.setAttribute("data-coloured", String(coloured));
    el.setAttribute("data-loaded", "1");
  });
})();
