/* Dongne map helpers shared by the home, report and area pages. Needs Leaflet (window.L) and,
   for the boundary base layer, Leaflet.VectorGrid (static/vendor). Loads nothing from another
   host but the configured basemap's tiles. */
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

  function format(template, values) {
    return String(template).replace(/%\((\w+)\)s/g, function (_m, key) { return values[key]; });
  }

  var TEXT = jsonScript("map-text") || { statuses: [], placeKinds: {} };
  var STATUS_COLOURS = {};
  (TEXT.statuses || []).forEach(function (status) { STATUS_COLOURS[status.code] = status.colour; });
  var english = (document.documentElement.lang || "").indexOf("en") === 0;

  /* Our own boundaries (/tiles/boundaries/) as vector tiles. Their names (the tiles' `labels`
     layer) go into a pane above every tile as text markers, so no neighbouring tile covers them. */
  var BoundaryGrid = L.VectorGrid && L.VectorGrid.Protobuf.extend({
    _getVectorTilePromise: function (coords, bounds) {
      this._lastTile = L.VectorGrid.Protobuf.prototype._getVectorTilePromise.call(this, coords, bounds);
      return this._lastTile;
    },
    onAdd: function (map) {
      L.VectorGrid.Protobuf.prototype.onAdd.call(this, map);
      this._labelGroups = {};
      this.on("tileunload", function (event) {
        var key = this._tileCoordsToKey(event.coords);
        if (this._labelGroups[key]) { this._labelGroups[key].remove(); delete this._labelGroups[key]; }
      }, this);
    },
    onRemove: function (map) {
      Object.keys(this._labelGroups || {}).forEach(function (key) { this._labelGroups[key].remove(); }, this);
      this._labelGroups = {};
      L.VectorGrid.Protobuf.prototype.onRemove.call(this, map);
    },
    createTile: function (coords, done) {
      var svg = L.VectorGrid.prototype.createTile.call(this, coords, done);
      var size = this.getTileSize();
      var key = this._tileCoordsToKey(coords);
      var self = this;
      this._lastTile.then(function (tile) {
        var labels = tile.layers && tile.layers.labels;
        if (!labels || !self._map || !self._tiles[key]) { return; }
        var group = L.layerGroup();
        labels.features.forEach(function (feature) {
          var point = feature.geometry[0][0];
          var pixel = L.point(coords.x * size.x + point.x * size.x / labels.extent, coords.y * size.y + point.y * size.y / labels.extent);
          var props = feature.properties;
          var name = document.createElement("span");
          name.textContent = english && props.name_en ? props.name_en : props.name;
          L.marker(self._map.unproject(pixel, coords.z), {
            pane: "boundaryLabels", interactive: false, keyboard: false,
            icon: L.divIcon({ className: "boundary-label boundary-label-" + props.kind, html: name.outerHTML, iconSize: null })
          }).addTo(group);
        });
        self._labelGroups[key] = group.addTo(self._map);
      });
      return svg;
    }
  });

  function boundaryLayer(filled) {
    var land = filled ? { fill: true, fillColor: "#fbfaf6", fillOpacity: 1 } : { fill: false };
    return new BoundaryGrid("/tiles/boundaries/{z}/{x}/{y}.mvt", {
      pane: "boundaries",
      rendererFactory: L.svg.tile,
      interactive: false,
      maxNativeZoom: 16,
      attribution: escapeHtml(TEXT.boundaries || ""),
      vectorTileLayerStyles: {
        provinces: Object.assign({ weight: 1.6, color: "#56657a", opacity: 0.9 }, land),
        local_governments: { weight: 1, color: "#7b8a9c", opacity: 0.9, fill: false },
        submunicipal: { weight: 0.6, color: "#9aa6b4", dashArray: "3 3", opacity: 0.9, fill: false },
        labels: []
      }
    });
  }

  /* A Leaflet map centred on Korea: our boundaries always, the configured basemap beneath them. */
  function createMap(element, options) {
    var map = L.map(element, Object.assign({ center: [36.4, 127.8], zoom: 7, minZoom: 5, maxZoom: 19, zoomControl: false }, options || {}));
    L.control.zoom({ zoomInTitle: TEXT.zoomIn || "Zoom in", zoomOutTitle: TEXT.zoomOut || "Zoom out" }).addTo(map);
    map.attributionControl.setPrefix('<a href="https://leafletjs.com" title="' + escapeHtml(TEXT.leafletTitle || "") + '">Leaflet</a>');
    map.createPane("boundaries").style.zIndex = 250;  // above basemap tiles, below reports
    map.getPane("boundaries").style.pointerEvents = "none";
    map.createPane("boundaryLabels").style.zIndex = 350;  // names above every boundary tile
    map.getPane("boundaryLabels").style.pointerEvents = "none";
    var url = jsonScript("basemap-url");
    if (url) {
      L.tileLayer(url, { attribution: jsonScript("basemap-attribution"), maxZoom: 19 }).addTo(map);
    } else {
      map.getContainer().classList.add("map-no-basemap");
    }
    if (BoundaryGrid) { boundaryLayer(!url).addTo(map); }
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

  function clusterIcon(count) {
    var size = 44 + Math.min(16, Math.round(Math.log(count + 1) * 3));  // a 44 px target at least
    return L.divIcon({
      className: "cluster-icon",
      html: '<span style="width:' + size + "px;height:" + size + "px;line-height:" + size + 'px">' + count + "</span>",
      iconSize: [size, size]
    });
  }

  function popupHtml(point) {
    return '<div class="report-popup"><strong>' + escapeHtml(point.category_name || "") + "</strong> " +
      '<span class="status status-' + escapeHtml(point.status) + '">' + escapeHtml(statusLabel(point.status)) + "</span>" +
      '<br><span class="muted">' + escapeHtml(point.created_at || "") + "</span>" +
      "<br>" + escapeHtml(point.address || "") +
      '<br><a class="popup-link" href="/reports/' + Number(point.id) + '/">' + escapeHtml(TEXT.viewReport || "") + " #" + Number(point.id) + "</a></div>";
  }

  function statusLabel(code) {
    var found = (TEXT.statuses || []).filter(function (s) { return s.code === code; })[0];
    return found ? found.label : code;
  }

  function reportMarker(point, latlng) {
    var marker = L.circleMarker(latlng || [point.lat, point.lon], {
      radius: 9, weight: 2, color: "#fff", fillOpacity: 0.95, fillColor: STATUS_COLOURS[point.status] || "#555"
    }).bindPopup(popupHtml(point));
    marker.reportId = point.id;
    return marker;
  }

  /* Points closer than a marker's width, grouped, so overlapping reports can be reached. */
  function groupPoints(map, points) {
    var groups = [];
    points.forEach(function (point) {
      var pixel = map.latLngToLayerPoint([point.lat, point.lon]);
      var group = groups.filter(function (g) { return g.pixel.distanceTo(pixel) < 20; })[0];
      if (group) { group.points.push(point); } else { groups.push({ pixel: pixel, points: [point] }); }
    });
    return groups;
  }

  /* Reports at (nearly) one place, laid out on a circle around it, with a leg to the place. */
  function spread(map, layer, group) {
    var centre = map.latLngToLayerPoint([group.points[0].lat, group.points[0].lon]);
    var radius = 28 + group.points.length * 3;
    group.points.forEach(function (point, i) {
      var angle = (2 * Math.PI * i) / group.points.length;
      var latlng = map.layerPointToLatLng(centre.add([radius * Math.cos(angle), radius * Math.sin(angle)]));
      L.polyline([[point.lat, point.lon], latlng], { weight: 1, color: "#445", interactive: false }).addTo(layer);
      reportMarker(point, latlng).addTo(layer);
    });
  }

  /* Draw what loadReports returned into a layer group. A cell or group zooms in when tapped; at
     the deepest zoom (or when its reports share one place) it spreads out instead. */
  function drawReports(layer, data, labels, map) {
    // A popup stays open across a redraw (opening one pans the map, which reloads the reports).
    var openId = null, reopen = null;
    layer.eachLayer(function (marker) { if (marker.isPopupOpen && marker.isPopupOpen()) { openId = marker.reportId; } });
    layer.clearLayers();
    function pin(point, latlng) {
      var marker = reportMarker(point, latlng).addTo(layer);
      if (point.id === openId) { reopen = marker; }
      return marker;
    }
    if (data.mode === "grid") {
      data.features.forEach(function (cell) {
        var marker = L.marker([cell.lat, cell.lon], {
          icon: clusterIcon(cell.count), keyboard: true,
          title: format(TEXT.clusterTitle || "%(count)s", { count: cell.count })
        }).addTo(layer);
        if (map) {
          marker.on("click", function () { map.setView([cell.lat, cell.lon], Math.min(map.getZoom() + 2, map.getMaxZoom())); });
        }
      });
      return;
    }
    (map ? groupPoints(map, data.features) : data.features.map(function (p) { return { points: [p] }; })).forEach(function (group) {
      if (group.points.length === 1) { pin(group.points[0]); return; }
      var first = group.points[0];
      var together = group.points.every(function (p) { return p.lat === first.lat && p.lon === first.lon; });
      var deepest = map.getZoom() >= map.getMaxZoom() || together;
      var marker = L.marker([first.lat, first.lon], {
        icon: clusterIcon(group.points.length), keyboard: true,
        title: format(deepest ? TEXT.spreadTitle : TEXT.clusterTitle, { count: group.points.length })
      }).addTo(layer);
      marker.on("click", function () {
        if (deepest) {
          layer.removeLayer(marker);
          spread(map, layer, group);
        } else {
          map.fitBounds(L.latLngBounds(group.points.map(function (p) { return [p.lat, p.lon]; })), { maxZoom: map.getMaxZoom() });
        }
      });
    });
    if (reopen) { reopen.openPopup(); }
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
        drawReports(layer, data, options.labels || {}, map);
        if (options.list) { drawList(options.list, data.list, options.emptyText || ""); }
        if (options.onData) { options.onData(data); }
      }).catch(function () { /* keep what is shown; the next move retries */ });
    }
    map.on("moveend", refresh);
    refresh();
    return refresh;
  }

  /* The status legend, as a Leaflet control in the map's corner. */
  function addLegend(map) {
    var legend = L.control({ position: "bottomleft" });
    legend.onAdd = function () {
      var box = L.DomUtil.create("div", "map-legend");
      box.id = "map-legend";
      box.innerHTML = "<strong>" + escapeHtml(TEXT.legend || "") + "</strong>" + (TEXT.statuses || []).map(function (s) {
        return '<div><span class="legend-swatch" style="background:' + escapeHtml(s.colour) + '"></span>' + escapeHtml(s.label) + "</div>";
      }).join("");
      return box;
    };
    legend.addTo(map);
    return legend;
  }

  /* The place search box: provinces, governments and 읍면동, Korean or romanized.
     `onPick(place)` is called with the chosen result; `status` shows hints and "nothing found". */
  function placeSearch(input, button, results, onPick) {
    function show(message) {
      results.innerHTML = "";
      var li = document.createElement("li");
      li.className = "place-message";
      li.textContent = message;
      results.appendChild(li);
    }
    function search() {
      var query = input.value.trim();
      if (!query) { return; }
      fetch("/map/places.json?q=" + encodeURIComponent(query)).then(function (r) { return r.json(); }).then(function (data) {
        if (data.hint) { show(data.hint); return; }
        if (!data.results || !data.results.length) { show(TEXT.noPlaces); return; }
        results.innerHTML = "";
        data.results.forEach(function (place) {
          var li = document.createElement("li");
          var choice = document.createElement("button");
          choice.type = "button";
          choice.className = "place-result";
          choice.textContent = place.label;
          var kind = document.createElement("span");
          kind.className = "muted place-kind";
          kind.textContent = " · " + (TEXT.placeKinds[place.kind] || place.kind);
          choice.appendChild(kind);
          choice.addEventListener("click", function () { results.innerHTML = ""; onPick(place); });
          li.appendChild(choice);
          results.appendChild(li);
        });
      });
    }
    button.addEventListener("click", search);
    input.addEventListener("keydown", function (event) {
      if (event.key === "Enter") { event.preventDefault(); search(); }
    });
  }

  /* Centre the map on the device's location; say clearly when it is refused or unavailable. */
  function locate(map, status, zoom) {
    if (!navigator.geolocation) { status.textContent = TEXT.geoUnsupported; return; }
    status.textContent = TEXT.locating;
    navigator.geolocation.getCurrentPosition(function (position) {
      status.textContent = "";
      map.setView([position.coords.latitude, position.coords.longitude], zoom || 15);
    }, function () { status.textContent = TEXT.geoRefused; }, { enableHighAccuracy: true, timeout: 10000 });
  }

  window.Dongne = {
    createMap: createMap, loadReports: loadReports, drawReports: drawReports, drawList: drawList,
    followView: followView, escapeHtml: escapeHtml, jsonScript: jsonScript, addLegend: addLegend,
    placeSearch: placeSearch, locate: locate, text: TEXT, statusColours: STATUS_COLOURS
  };
})();
