/* Dongne map helpers shared by the home, report and area pages. Needs Leaflet (window.L). */
(function () {
  "use strict";

  function jsonScript(id) {
    var el = document.getElementById(id);
    return el ? JSON.parse(el.textContent) : "";
  }

  function escapeHtml(text) {
    return String(text).replace(/[&<>"']/g, function (c) {
      return { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" }[c];
    });
  }

  /* A Leaflet map centred on Korea, with the configured basemap (none when the URL is empty). */
  function createMap(element, options) {
    var map = L.map(element, Object.assign({ center: [36.4, 127.8], zoom: 7, minZoom: 5, maxZoom: 19 }, options || {}));
    var url = jsonScript("basemap-url");
    if (url) {
      L.tileLayer(url, { attribution: jsonScript("basemap-attribution"), maxZoom: 19 }).addTo(map);
    }
    return map;
  }

  /* THE data source of the report map: swap this one function for vector tiles later.
     Resolves to {mode: "grid"|"points", features: [...], truncated, list: [...]}. */
  function loadReports(map, params) {
    var b = map.getBounds();
    var query = new URLSearchParams(params || {});
    query.set("bbox", [
      Math.max(-180, b.getWest()), Math.max(-90, b.getSouth()), Math.min(180, b.getEast()), Math.min(90, b.getNorth())
    ].map(function (n) { return n.toFixed(5); }).join(","));
    query.set("zoom", String(map.getZoom()));
    return fetch("/map/reports.json?" + query.toString(), { headers: { Accept: "application/json" } })
      .then(function (response) { return response.json(); });
  }

  var STATUS_COLOURS = { submitted: "#c0392b", acknowledged: "#d68910", in_progress: "#2874a6", closed: "#1e8449" };

  /* Draw what loadReports returned into a layer group. */
  function drawReports(layer, data, labels) {
    layer.clearLayers();
    if (data.mode === "grid") {
      data.features.forEach(function (cell) {
        var size = 24 + Math.min(24, Math.round(Math.log(cell.count + 1) * 5));
        var icon = L.divIcon({
          className: "cluster-icon",
          html: '<span style="width:' + size + "px;height:" + size + "px;line-height:" + size + 'px">' + cell.count + "</span>",
          iconSize: [size, size]
        });
        L.marker([cell.lat, cell.lon], { icon: icon, keyboard: false, title: cell.count + " " + (labels.reports || "") }).addTo(layer);
      });
    } else {
      data.features.forEach(function (point) {
        L.circleMarker([point.lat, point.lon], {
          radius: 7, weight: 2, color: "#fff", fillOpacity: 0.9, fillColor: STATUS_COLOURS[point.status] || "#555"
        }).bindPopup('<a href="/reports/' + point.id + '/">#' + point.id + "</a>").addTo(layer);
      });
    }
  }

  /* The list beside the map: a full alternative to it. */
  function drawList(listElement, items, emptyText) {
    listElement.innerHTML = "";
    if (!items.length) {
      var empty = document.createElement("li");
      empty.textContent = emptyText;
      listElement.appendChild(empty);
      return;
    }
    items.forEach(function (item) {
      var li = document.createElement("li");
      li.className = "report-item";
      li.innerHTML = '<a href="' + item.url + '">' + escapeHtml(item.category) + "</a> " +
        '<span class="status status-' + item.status_code + '">' + escapeHtml(item.status) + "</span>" +
        (item.overdue ? ' <span class="overdue">' + escapeHtml(listElement.dataset.overdue || "") + "</span>" : "") +
        '<br><span class="muted">' + escapeHtml(item.address) + " · " + escapeHtml(item.created_at) + "</span>";
      listElement.appendChild(li);
    });
  }

  /* Keep a report layer and list in step with the map view and the filters. */
  function followView(map, options) {
    var layer = L.layerGroup().addTo(map);
    var pending = 0;
    function refresh() {
      var ticket = ++pending;
      loadReports(map, options.params()).then(function (data) {
        if (ticket !== pending || data.error) { return; }
        drawReports(layer, data, options.labels || {});
        if (options.list) { drawList(options.list, data.list, options.emptyText || ""); }
        if (options.onData) { options.onData(data); }
      }).catch(function () { /* keep what is shown; the next move retries */ });
    }
    map.on("moveend", refresh);
    refresh();
    return refresh;
  }

  window.Dongne = {
    createMap: createMap, loadReports: loadReports, drawReports: drawReports, drawList: drawList,
    followView: followView, escapeHtml: escapeHtml, jsonScript: jsonScript
  };
})();
