/* A campaign's page: the live map of its public entries (styled by entry type) over its coverage
   units, refreshed every 30 s, and "map next". Reads /campaigns/<slug>/map.json (public answers
   only) and /campaigns/<slug>/next.json. */
(function () {
  "use strict";
  var text = JSON.parse(document.getElementById("campaign-text").textContent);
  var element = document.getElementById("campaign-map");
  var esc = Dongne.escapeHtml;
  var map = Dongne.createMap("campaign-map");
  var units = L.geoJSON(null, {
    style: function (feature) {
      var p = feature.properties;
      return {
        weight: p.priority ? 3 : 1, color: p.priority ? "#e67e22" : "#5b6672",
        fillColor: p.validated > 0 ? "#0b6e4f" : "#c8d0d8", fillOpacity: p.validated > 0 ? 0.35 : 0.15
      };
    },
    onEachFeature: function (feature, layer) {
      var p = feature.properties;
      layer.bindTooltip(esc(p.label) + " · " + text.validated + " " + p.validated + (p.priority ? " · " + esc(text.priority) : ""));
    }
  }).addTo(map);
  var entries = L.layerGroup().addTo(map);
  L.control.layers(null, (function () { var o = {}; o[text.entries] = entries; o[text.coverage] = units; return o; })()).addTo(map);
  var fitted = false;

  function popup(entry, data) {
    var kind = data.entry_types.filter(function (t) { return t.key === entry.entry_type; })[0] || { label: entry.entry_type };
    var rows = data.fields.map(function (field) {
      if (!(field.key in entry.answers)) { return ""; }
      var names = {};
      (field.values || []).forEach(function (v) { names[v.key] = v.name; });
      var value = entry.answers[field.key];
      var shown = Array.isArray(value) ? value.map(function (v) { return names[v] || v; }).join(", ") : (names[value] || value);
      return "<dt>" + esc(field.label) + "</dt><dd>" + esc(shown) + "</dd>";
    }).join("");
    var photos = entry.photos.map(function (id) {
      return '<img class="entry-photo" alt="" src="' + esc(element.dataset.photoUrl.replace(/0\/$/, id + "/")) + '">';
    }).join("");
    return "<strong>" + esc(kind.label) + "</strong> · " + esc(data.statuses[entry.status] || entry.status) +
      (rows ? '<dl class="facts">' + rows + "</dl>" : "") + photos +
      (entry.report ? '<p><a href="/reports/' + entry.report + '/">' + esc(text.report) + " #" + entry.report + "</a></p>" : "");
  }

  function draw(data) {
    units.clearLayers();
    units.addData(data.units);
    entries.clearLayers();
    var styles = {};
    data.entry_types.forEach(function (t) { styles[t.key] = t; });
    data.entries.forEach(function (entry) {
      var kind = styles[entry.entry_type] || { colour: "#5b6672", icon: "" };
      var icon = L.divIcon({
        className: "entry-icon entry-" + entry.status,
        html: '<span class="entry-marker" style="background:' + esc(kind.colour) + '">' + esc(kind.icon || "") + "</span>",
        iconSize: [28, 28], iconAnchor: [14, 14]
      });
      var marker = L.marker([entry.lat, entry.lon], { icon: icon, title: kind.label || entry.entry_type, alt: kind.label || "" });
      marker.entryId = entry.id;
      marker.bindPopup(popup(entry, data));
      marker.addTo(entries);
    });
    if (!fitted && data.units.features.length) {
      map.fitBounds(units.getBounds(), { maxZoom: 16 });
      fitted = true;
    }
    element.dataset.entries = String(data.entries.length);
  }

  function load() {
    return fetch(element.dataset.url, { headers: { Accept: "application/json" } })
      .then(function (response) { return response.json(); })
      .then(draw);
  }
  load();
  setInterval(load, 30000);

  var nextButton = document.getElementById("map-next");
  var nextResult = document.getElementById("map-next-result");
  function askNext(lat, lon, note) {
    fetch(element.dataset.nextUrl + "?lat=" + lat + "&lon=" + lon, { headers: { Accept: "application/json" } })
      .then(function (response) { return response.json().then(function (body) { return { ok: response.ok, body: body }; }); })
      .then(function (result) {
        if (!result.ok) { nextResult.textContent = result.body.error ? result.body.error.message : text.nextFailed; return; }
        var b = result.body.bbox;
        map.fitBounds([[b[1], b[0]], [b[3], b[2]]], { maxZoom: 17 });
        nextResult.textContent = (note ? note + " " : "") + result.body.message;
      })
      .catch(function () { nextResult.textContent = text.nextFailed; });
  }
  if (nextButton) {
    nextButton.addEventListener("click", function () {
      var centre = map.getCenter();
      if (!navigator.geolocation) { askNext(centre.lat, centre.lng, text.geoFailed); return; }
      navigator.geolocation.getCurrentPosition(function (position) {
        askNext(position.coords.latitude, position.coords.longitude);
      }, function () { askNext(centre.lat, centre.lng, text.geoFailed); }, { timeout: 10000 });
    });
  }
})();
