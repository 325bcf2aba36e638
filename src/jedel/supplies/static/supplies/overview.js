/* The supplies map: the shipped region boundaries (no tile server) and one circle per warehouse, coloured by its
   worst line (red: below minimum or within the safety days; amber: expired stock; green). Config from the page
   (json_script); vanilla JS + Leaflet, no inline script (CSP). */
(function () {
  "use strict";
  var el = document.getElementById("supplies-map");
  var cfgEl = document.getElementById("supplies-config");
  if (!el || !cfgEl || !window.L) { return; }
  var cfg = JSON.parse(cfgEl.textContent);
  var COLOURS = { red: "#c62828", amber: "#f9a825", green: "#2e7d32" };
  var map = L.map(el, { zoomSnap: 0.25, minZoom: 2, maxZoom: 12 });
  map.attributionControl.setPrefix('<a href="https://leafletjs.com">Leaflet</a>');
  map.attributionControl.addAttribution(cfg.i18n.boundaries);
  map.setView([48.2, 67.5], 4.5);
  fetch(cfg.geojsonUrl, { credentials: "same-origin" }).then(function (r) { return r.json(); }).then(function (geo) {
    var country = L.geoJSON(geo, { style: { color: "#777", weight: 1, fillColor: "#f7f7f5", fillOpacity: 0.4 } });
    country.addTo(map);
    // The whole country in view at any width: a phone gets a lower zoom than the desktop's fixed view.
    map.fitBounds(country.getBounds(), { padding: [4, 4] });
    cfg.warehouses.forEach(function (w) {
      var marker = L.circleMarker([w.lat, w.lon], { radius: 8, color: "#333", weight: 1, fillOpacity: 0.9,
                                                    fillColor: COLOURS[w.status] || "#999" });
      var link = document.createElement("a");
      link.href = w.url;
      link.textContent = w.name;
      var box = document.createElement("div");
      box.appendChild(link);
      if (w.below) {
        box.appendChild(document.createElement("br"));
        box.appendChild(document.createTextNode(w.below + " " + cfg.i18n.belowMinimum));
      }
      marker.bindPopup(box);
      marker.addTo(map);
    });
    el.setAttribute("data-ready", String(cfg.warehouses.length));
  });
}());
