/* The proposal form: tap the map (or use your location) to place the proposal; the server routes it. */
(function () {
  var element = document.getElementById("proposal-map");
  if (!element || !window.Dongne) { return; }
  var lon = document.getElementById("id_lon"), lat = document.getElementById("id_lat");
  var status = document.getElementById("place-status");
  var map = Dongne.createMap(element), marker = null;
  function place(latlng) {
    lon.value = latlng.lng.toFixed(6);
    lat.value = latlng.lat.toFixed(6);
    if (marker) { marker.setLatLng(latlng); } else { marker = L.marker(latlng, { keyboard: false }).addTo(map); }
    status.textContent = lat.value + ", " + lon.value;
    fetch("/api/v1/areas/lookup?lat=" + lat.value + "&lon=" + lon.value, { headers: { Accept: "application/json" } })
      .then(function (r) { return r.json(); })
      .then(function (body) { status.textContent = body.address || (body.error && body.error.message) || status.textContent; })
      .catch(function () {});
  }
  if (lon.value && lat.value) { var start = L.latLng(parseFloat(lat.value), parseFloat(lon.value)); map.setView(start, 15); place(start); }
  map.on("click", function (event) { place(event.latlng); });
  document.getElementById("use-location").addEventListener("click", function () {
    if (!navigator.geolocation) { status.textContent = element.dataset.noLocation || ""; return; }
    navigator.geolocation.getCurrentPosition(function (position) {
      var here = L.latLng(position.coords.latitude, position.coords.longitude);
      map.setView(here, 16);
      place(here);
    }, function (error) { status.textContent = error.message; });
  });
})();
