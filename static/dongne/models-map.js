/* A model's page: its origin and every adopter on the map (from the page's #model-places). */
(function () {
  "use strict";
  var places = JSON.parse(document.getElementById("model-places").textContent);
  var map = Dongne.createMap("model-map");
  var esc = Dongne.escapeHtml;
  var points = [];
  places.forEach(function (place) {
    var origin = place.role === "origin";
    L.circleMarker([place.lat, place.lon], {
      radius: origin ? 11 : 8, weight: 2, color: origin ? "#b03a2e" : "#1f78b4",
      fillColor: origin ? "#e74c3c" : "#5dade2", fillOpacity: 0.8
    }).bindTooltip(esc(place.name) + " · v" + place.version).addTo(map);
    points.push([place.lat, place.lon]);
  });
  if (points.length) { map.fitBounds(points, { padding: [40, 40], maxZoom: 9 }); }
  document.getElementById("model-map").dataset.markers = String(points.length);
})();
