/* The report form: drop a pin (tap, device location, place search, arrow keys, photo GPS),
   show who will receive the report and similar open reports nearby, show the category's questions. */
(function () {
  "use strict";
  var text = JSON.parse(document.getElementById("report-form-text").textContent);
  var form = document.getElementById("report-form");
  var lonInput = document.getElementById("id_lon");
  var latInput = document.getElementById("id_lat");
  var categorySelect = document.getElementById("id_category");
  var routing = document.getElementById("routing");
  var nearby = document.getElementById("nearby");
  var nearbyList = document.getElementById("nearby-list");
  var esc = Dongne.escapeHtml;

  var map = Dongne.createMap("pin-map", { keyboard: false });
  var marker = null;
  var photoLocation = null;

  function pinIsSet() { return lonInput.value !== "" && latInput.value !== ""; }

  function setPin(lat, lon, options) {
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
    if (options && options.zoom) { map.setView([lat, lon], Math.max(map.getZoom(), options.zoom)); }
    document.getElementById("photo-location").hidden = true;
    lookup(lat, lon);
    loadNearby();
  }

  var lookupTicket = 0;
  function lookup(lat, lon) {
    var ticket = ++lookupTicket;
    fetch("/api/v1/areas/lookup?lat=" + lat + "&lon=" + lon, { headers: { Accept: "application/json" } })
      .then(function (response) { return response.json().then(function (body) { return { ok: response.ok, body: body }; }); })
      .then(function (result) {
        if (ticket !== lookupTicket) { return; }
        if (!result.ok) {
          routing.className = "routing routing-error";
          routing.textContent = result.body.error && result.body.error.code === "outside_service_area" ? text.outside : (result.body.error ? result.body.error.message : text.lookupFailed);
          return;
        }
        var government = result.body.local_government;
        var english = document.documentElement.lang.indexOf("en") === 0;
        var name = english && government.name_en ? government.name_en : government.name;
        var address = english ? englishAddress(result.body) : result.body.address;
        routing.className = "routing";
        routing.innerHTML = text.goesTo + ' <strong id="routed-government">' + esc(name) + "</strong>" +
          ' (<a href="/areas/' + esc(government.code) + '/">' + esc(text.governmentPage) + "</a>)" +
          '<br><span class="muted" id="routed-address">' + esc(address) + "</span>";
      })
      .catch(function () { if (ticket === lookupTicket) { routing.textContent = text.lookupFailed; } });
  }

  /* "Cheongunhyoja-dong, Jongno-gu, Seoul" from the lookup's romanized names, smallest first
     (as mapping.selectors.address_en does for stored reports). */
  function englishAddress(body) {
    var unit = body.municipal_unit, government = body.local_government, province = body.province;
    var parts = [body.submunicipal_unit && body.submunicipal_unit.name_en];
    var prefix = (government.name_en || "").replace(/-/g, "").toLowerCase();
    if (unit.code !== government.code && prefix && unit.name_en.toLowerCase().indexOf(prefix) === 0 && government.code !== province.code) {
      var district = unit.name_en.slice(prefix.length);
      district = district.charAt(0).toUpperCase() + district.slice(1).toLowerCase();
      parts.push(/gu$/.test(district) ? district.slice(0, -2) + "-gu" : district, government.name_en);
    } else if (unit.name_en !== province.name_en) {
      parts.push(unit.name_en);
    }
    parts.push(province.name_en);
    return parts.filter(function (part, i) { return part && parts.indexOf(part) === i; }).join(", ") || body.address;
  }

  function loadNearby() {
    if (!pinIsSet() || !categorySelect.value) { nearby.hidden = true; return; }
    var query = new URLSearchParams({ lon: lonInput.value, lat: latInput.value, category: categorySelect.value });
    fetch("/map/nearby.json?" + query.toString()).then(function (r) { return r.json(); }).then(function (data) {
      nearbyList.innerHTML = "";
      (data.results || []).forEach(function (report) {
        var li = document.createElement("li");
        li.innerHTML = "<strong>" + esc(report.category) + "</strong> · " + esc(report.status) + " · " +
          report.distance_m + " " + esc(text.metres) + " · " + esc(report.support_label) +
          "<br>" + esc(report.description) + '<br><a class="button" href="' + report.url + '#support">' + esc(text.meToo) + "</a>";
        nearbyList.appendChild(li);
      });
      nearby.hidden = !(data.results && data.results.length);
    }).catch(function () { nearby.hidden = true; });
  }

  function showQuestions() {
    document.querySelectorAll("fieldset.questions").forEach(function (fieldset) {
      var chosen = fieldset.dataset.category === categorySelect.value;
      fieldset.hidden = !chosen;
      fieldset.disabled = !chosen;
    });
  }

  map.on("click", function (event) { setPin(event.latlng.lat, event.latlng.lng); });

  // Arrow keys move the pin (or pan the map while there is none); + and - zoom.
  var mapElement = document.getElementById("pin-map");
  mapElement.addEventListener("keydown", function (event) {
    var moves = { ArrowUp: [0, -10], ArrowDown: [0, 10], ArrowLeft: [-10, 0], ArrowRight: [10, 0] };
    if (moves[event.key]) {
      event.preventDefault();
      var step = event.shiftKey ? 5 : 1;
      if (!marker) { map.panBy([moves[event.key][0] * 8 * step, moves[event.key][1] * 8 * step]); return; }
      var point = map.latLngToContainerPoint(marker.getLatLng()).add([moves[event.key][0] * step, moves[event.key][1] * step]);
      var latlng = map.containerPointToLatLng(point);
      setPin(latlng.lat, latlng.lng);
    } else if (event.key === "+" || event.key === "=") { map.zoomIn(); }
    else if (event.key === "-") { map.zoomOut(); }
    else if (event.key === "Enter" && !marker) {
      event.preventDefault();
      var centre = map.getCenter();
      setPin(centre.lat, centre.lng);
    }
  });

  [lonInput, latInput].forEach(function (input) {
    input.addEventListener("change", function () { if (pinIsSet()) { setPin(latInput.value, lonInput.value, { zoom: 15 }); } });
  });

  document.getElementById("use-location").addEventListener("click", function () {
    if (!navigator.geolocation) { routing.textContent = text.geoFailed; return; }
    navigator.geolocation.getCurrentPosition(function (position) {
      setPin(position.coords.latitude, position.coords.longitude, { zoom: 16 });
    }, function () { routing.textContent = text.geoFailed; }, { enableHighAccuracy: true, timeout: 10000 });
  });

  // One place search for the whole site: a 읍면동 drops the pin, a larger area frames the map.
  Dongne.placeSearch(
    document.getElementById("place-query"), document.getElementById("place-search-button"),
    document.getElementById("place-results"),
    function (place) {
      if (place.kind === "submunicipal") {
        setPin(place.lat, place.lon, { zoom: 15 });
      } else {
        var b = place.bbox;
        map.fitBounds([[b[1], b[0]], [b[3], b[2]]], { maxZoom: 15 });
      }
      mapElement.focus();
    }
  );

  // A photo with GPS offers its location when no pin is set yet; the server never stores it.
  document.getElementById("id_photos").addEventListener("change", function (event) {
    var file = event.target.files && event.target.files[0];
    if (!file || pinIsSet()) { return; }
    var body = new FormData();
    body.append("photo", file);
    fetch("/map/photo-location", {
      method: "POST", body: body, headers: { "X-CSRFToken": form.querySelector("[name=csrfmiddlewaretoken]").value }
    }).then(function (r) { return r.json(); }).then(function (data) {
      if (data.location && !pinIsSet()) {
        photoLocation = data.location;
        document.getElementById("photo-location").hidden = false;
      }
    }).catch(function () { /* the photo is still checked when the form is sent */ });
  });
  document.getElementById("use-photo-location").addEventListener("click", function () {
    if (photoLocation) { setPin(photoLocation.lat, photoLocation.lon, { zoom: 16 }); }
  });

  categorySelect.addEventListener("change", function () { showQuestions(); loadNearby(); });
  showQuestions();
  if (pinIsSet()) { setPin(latInput.value, lonInput.value, { zoom: 15 }); }
})();
/* After a refused submit, take keyboard and screen-reader users to the list of problems. */
(function () {
  var summary = document.getElementById("error-summary");
  if (summary) { summary.focus(); }
})();
