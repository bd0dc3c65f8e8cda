/* The scorecards' choropleth: any indicator coloured over the governments' boundaries.
   Data: /scorecards/map.geojson?layer=municipal|province (boundaries simplified by PostGIS, with
   every indicator's value); words and choices: the json_script "scorecards-map-text". */
(function () {
  "use strict";
  var element = document.getElementById("choropleth");
  var textElement = document.getElementById("scorecards-map-text");
  if (!element || !textElement || !window.L || !window.Dongne) { return; }
  var TEXT = JSON.parse(textElement.textContent);
  // ColorBrewer "Blues", five classes: darker is more, whatever the indicator's direction.
  var COLOURS = ["#eff3ff", "#bdd7e7", "#6baed6", "#3182bd", "#08519c"];
  var NO_VALUE = "#d9d9d9";
  var indicatorSelect = document.getElementById("choropleth-indicator");
  var layerSelect = document.getElementById("choropleth-layer");
  var definition = document.getElementById("choropleth-definition");
  var status = document.getElementById("choropleth-status");
  var english = String(TEXT.language || "").indexOf("en") === 0;
  var map = Dongne.createMap(element);
  var loaded = {};
  var shown = null;

  function escapeHtml(text) {
    return String(text).replace(/[&<>"']/g, function (c) {
      return { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" }[c];
    });
  }

  function indicator() {
    return TEXT.indicators.filter(function (item) { return item.key === indicatorSelect.value; })[0] || TEXT.indicators[0];
  }

  function format(value, kind) {
    if (value === null || value === undefined) { return TEXT.noValue; }
    if (kind === "proportion") { return (value * 100).toFixed(1) + "%"; }
    if (kind === "days") { return String(TEXT.days).replace("%(days)s", value.toFixed(1)); }
    if (kind === "count") { return Math.round(value).toLocaleString(); }
    return value.toFixed(2);
  }

  /* Quintile cuts of the values shown (fewer when values repeat): classes of about equal size. */
  function cutsOf(values) {
    var sorted = values.slice().sort(function (a, b) { return a - b; });
    var cuts = [];
    for (var i = 1; i < 5; i++) {
      var cut = sorted[Math.floor(i * sorted.length / 5)];
      if (cut !== undefined && cut > sorted[0] && cuts.indexOf(cut) < 0) { cuts.push(cut); }
    }
    return { cuts: cuts, min: sorted[0], max: sorted[sorted.length - 1] };
  }

  function classOf(value, cuts) {
    return cuts.filter(function (cut) { return value >= cut; }).length;
  }

  function colourOf(klass, classes) {
    return COLOURS[classes > 1 ? Math.round(klass * 4 / (classes - 1)) : 2];
  }

  var legend = L.control({ position: "bottomright" });
  legend.onAdd = function () {
    var div = L.DomUtil.create("div", "choropleth-legend");
    div.style.cssText = "background:#fff;padding:6px 8px;border-radius:6px;box-shadow:0 1px 4px rgba(0,0,0,.3);font-size:12px;line-height:18px;max-width:220px";
    return div;
  };
  legend.addTo(map);

  function drawLegend(item, scale, values) {
    var rows = ["<strong>" + escapeHtml(item.label) + "</strong>"];
    if (item.higherIsBetter !== null && item.higherIsBetter !== undefined) {
      rows.push("<span>" + escapeHtml(item.higherIsBetter ? TEXT.higherBetter : TEXT.lowerBetter) + "</span>");
    }
    if (scale) {
      // Each class from its smallest to its largest value shown.
      var classes = scale.cuts.length + 1;
      for (var k = 0; k < classes; k++) {
        var members = values.filter(function (v) { return classOf(v, scale.cuts) === k; });
        var low = Math.min.apply(null, members), high = Math.max.apply(null, members);
        var range = low === high ? format(low, item.kind) : format(low, item.kind) + " – " + format(high, item.kind);
        rows.push('<span class="legend-row"><i style="display:inline-block;width:14px;height:14px;margin-right:6px;vertical-align:-2px;background:'
          + colourOf(k, classes) + '"></i>' + escapeHtml(range) + "</span>");
      }
    }
    rows.push('<span class="legend-row"><i style="display:inline-block;width:14px;height:14px;margin-right:6px;vertical-align:-2px;background:'
      + NO_VALUE + '"></i>' + escapeHtml(TEXT.noValue) + "</span>");
    legend.getContainer().innerHTML = rows.join("<br>");
    legend.getContainer().setAttribute("aria-label", TEXT.legend);
  }

  function draw(data) {
    var item = indicator();
    var values = data.features.map(function (f) { return f.properties[item.key]; })
      .filter(function (v) { return v !== null && v !== undefined; });
    var scale = values.length ? cutsOf(values) : null;
    var classes = scale ? scale.cuts.length + 1 : 0;
    if (shown) { map.removeLayer(shown); }
    shown = L.geoJSON(data, {
      style: function (feature) {
        var value = feature.properties[item.key];
        var fill = value === null || value === undefined ? NO_VALUE : colourOf(classOf(value, scale.cuts), classes);
        return { color: "#56657a", weight: 0.8, fillColor: fill, fillOpacity: 0.8 };
      },
      onEachFeature: function (feature, layer) {
        var p = feature.properties;
        var name = english && p.name_en ? p.name_en : p.name;
        var figure = format(p[item.key], item.kind);
        layer.on("add", function () { layer.getElement().setAttribute("data-code", p.code); });
        layer.bindTooltip(escapeHtml(name) + ": " + escapeHtml(figure), { sticky: true });
        layer.bindPopup('<strong>' + escapeHtml(name) + "</strong><br>" + escapeHtml(item.label) + ": " + escapeHtml(figure)
          + '<br><a class="choropleth-link" href="' + escapeHtml(p.url) + '">' + escapeHtml(TEXT.scorecard) + " →</a>");
      }
    }).addTo(map);
    drawLegend(item, scale, values);
    definition.href = item.definition;
    element.dataset.indicator = item.key;
    element.dataset.features = String(data.features.length);
  }

  function show() {
    var layer = layerSelect.value;
    if (loaded[layer]) { draw(loaded[layer]); return; }
    element.dataset.features = "";
    fetch(TEXT.url + "?layer=" + encodeURIComponent(layer))
      .then(function (response) { if (!response.ok) { throw new Error(response.status); } return response.json(); })
      .then(function (data) { loaded[layer] = data; if (layerSelect.value === layer) { draw(data); } })
      .catch(function () { status.textContent = TEXT.failed; });
  }

  indicatorSelect.addEventListener("change", show);
  layerSelect.addEventListener("change", show);
  show();
})();
