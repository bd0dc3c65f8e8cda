/* The entry form: drop a pin by tapping the map (inside the campaign's area, drawn from its units)
   or from the device's location. */
(function () {
  "use strict";
  var element = document.getElementById("pin-map");
  if (!element) { return; }
  var text = JSON.parse(document.getElementById("entry-text").textContent);
  var lonInput = document.getElementById("id_lon");
  var latInput = document.getElementById("id_lat");
  var status = document.getElementById("location-status");
  var map = Dongne.createMap("pin-map", { keyboard: false });
  var marker = null;

  function setPin(lat, lon) {
    lat = Number(lat); lon = Number(lon);
    if (!isFinite(lat) || !isFinite(lon)) { return; }
    latInput.value = lat.toFixed(6);
    lonInput.value = lon.toFixed(6);
    if (!marker) {
      marker = L.marker([lat, lon], { draggable: true, keyboard: false }).addTo(map);
      marker.on("dragend", function () { var p = marker.getLatLng(); setPin(p.lat, p.lng); });
    } else {
      marker.setLatLng([lat, lon]);
    }
    status.textContent = text.pinSet;
  }

  fetch(element.dataset.url, { headers: { Accept: "application/json" } })
    .then(function (response) { return response.json(); })
    .then(function (data) {
      var area = L.geoJSON(data.units, { style: { weight: 1, color: "#0b6e4f", fillOpacity: 0.08 }, interactive: false }).addTo(map);
      if (data.units.features.length && !marker) { map.fitBounds(area.getBounds(), { maxZoom: 16 }); }
    });

  map.on("click", function (event) { setPin(event.latlng.lat, event.latlng.lng); });
  if (latInput.value && lonInput.value) { setPin(latInput.value, lonInput.value); map.setView([latInput.value, lonInput.value], 16); }

  document.getElementById("use-location").addEventListener("click", function () {
    if (!navigator.geolocation) { status.textContent = text.geoFailed; return; }
    status.textContent = text.locating;
    navigator.geolocation.getCurrentPosition(function (position) {
      setPin(position.coords.latitude, position.coords.longitude);
      map.setView([position.coords.latitude, position.coords.longitude], 17);
    }, function () { status.textContent = text.geoFailed; }, { enableHighAccuracy: true, timeout: 10000 });
  });
})();
