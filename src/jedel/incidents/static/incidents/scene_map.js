/* The declare form's scene map: the shipped region boundaries (no tile server), a click sets the scene's
   latitude and longitude fields, and typing them moves the marker. Without JavaScript the fields still work. */
(function () {
  "use strict";
  var el = document.querySelector("[data-scene-map]");
  if (!el || typeof L === "undefined") { return; }
  var lat = document.getElementById(el.dataset.latInput);
  var lon = document.getElementById(el.dataset.lonInput);
  var map = L.map(el, { zoomSnap: 0.25 }).setView([48.0, 67.0], 4.25);
  var marker = null;

  function place(latlng, fill) {
    if (marker) { marker.setLatLng(latlng); } else { marker = L.marker(latlng).addTo(map); }
    if (fill) {
      lat.value = latlng.lat.toFixed(5);
      lon.value = latlng.lng.toFixed(5);
    }
  }

  fetch(el.dataset.boundariesUrl, { credentials: "same-origin" })
    .then(function (r) { return r.ok ? r.json() : null; })
    .then(function (geojson) {
      if (geojson) { L.geoJSON(geojson, { style: { color: "#555", weight: 1, fillOpacity: 0.05 } }).addTo(map); }
    });
  map.on("click", function (e) { place(e.latlng, true); });
  function typed() {
    var a = parseFloat(lat.value), b = parseFloat(lon.value);
    if (!isNaN(a) && !isNaN(b)) { place(L.latLng(a, b), false); }
  }
  lat.addEventListener("change", typed);
  lon.addEventListener("change", typed);
  typed();
}());
