/* Poll pages: the map of a poll's choices and of its results by area, and the residence picker. */
(function () {
  "use strict";
  var COLOURS = ["#2874a6", "#c0392b", "#1e8449", "#b9770e", "#7d3c98", "#566573"];

  function data(id) {
    var element = document.getElementById(id);
    return element ? JSON.parse(element.textContent) : null;
  }

  var choices = data("choice-points");
  if (choices && choices.length && document.getElementById("choices-map")) {
    var choiceMap = Dongne.createMap(document.getElementById("choices-map"));
    var markers = choices.map(function (c) {
      return L.marker([c.lat, c.lon], { title: c.number + ". " + c.label }).bindPopup(Dongne.escapeHtml(c.number + ". " + c.label));
    });
    var group = L.featureGroup(markers).addTo(choiceMap);
    choiceMap.fitBounds(group.getBounds(), { maxZoom: 16, padding: [20, 20] });
  }

  var results = data("results-geojson");
  if (results && results.features.length && document.getElementById("results-map")) {
    var resultsMap = Dongne.createMap(document.getElementById("results-map"));
    var layer = L.geoJSON(results, {
      style: function (f) { return { color: "#333", weight: 1, fillOpacity: 0.5, fillColor: COLOURS[(f.properties.leader - 1) % COLOURS.length] }; },
      onEachFeature: function (f, l) {
        var counts = Object.keys(f.properties.tally).map(function (n) { return n + ": " + f.properties.tally[n]; }).join(", ");
        l.bindPopup(Dongne.escapeHtml(f.properties.name + " (" + f.properties.ballots + ") " + counts));
      }
    }).addTo(resultsMap);
    resultsMap.fitBounds(layer.getBounds());
  }

  var picker = document.getElementById("residence-map");
  if (picker) {
    var map = Dongne.createMap(picker, { center: [37.57, 126.98], zoom: 12 });
    map.on("click", function (e) {
      var form = document.getElementById("declare-form");
      form.querySelector("[name=query]").value = "";
      form.querySelector("[name=lon]").value = e.latlng.lng.toFixed(6);
      form.querySelector("[name=lat]").value = e.latlng.lat.toFixed(6);
      form.submit();
    });
  }
})();
