/* Staff pages: report maps with the exact points, saved replies filling the note, government
   pickers searching by name or code, and "tick all" in the queue. Needs map.js for the maps. */
(function () {
  "use strict";
  function jsonScript(id) {
    var el = document.getElementById(id);
    return el ? JSON.parse(el.textContent) : null;
  }
  function escapeHtml(text) {
    return String(text).replace(/[&<>"']/g, function (c) {
      return { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" }[c];
    });
  }
  var COLOURS = { submitted: "#c0392b", acknowledged: "#d68910", in_progress: "#2874a6", closed: "#1e8449" };

  function drawPoints(element) {
    var points = jsonScript(element.dataset.points) || [];
    var map = Dongne.createMap(element);
    var bounds = [];
    points.forEach(function (p) {
      var marker = L.circleMarker([p.lat, p.lon], {
        radius: p.current ? 11 : 7, weight: p.current ? 4 : 2, color: p.current ? "#111" : "#fff",
        fillOpacity: 0.9, fillColor: COLOURS[p.status] || "#555"
      }).bindPopup('<a href="' + escapeHtml(p.url) + '">' + escapeHtml(p.label) + "</a>").addTo(map);
      if (p.current) { marker.bindTooltip(escapeHtml(p.label), { permanent: false }); }
      bounds.push([p.lat, p.lon]);
    });
    if (bounds.length === 1) { map.setView(bounds[0], 17); }
    else if (bounds.length) { map.fitBounds(bounds, { padding: [24, 24], maxZoom: 17 }); }
  }

  if (window.Dongne && window.L) { document.querySelectorAll("[data-points]").forEach(drawPoints); }

  // A saved reply copies its text into the note of the same form, where it can still be edited.
  document.querySelectorAll("select[data-fills]").forEach(function (select) {
    var texts = jsonScript("reply-template-texts") || {};
    select.addEventListener("change", function () {
      var target = select.form.querySelector("[name=" + select.dataset.fills + "]");
      if (target && texts[select.value] !== undefined) { target.value = texts[select.value]; }
    });
  });

  // Government pickers: the datalist follows what is typed (names or codes).
  var list = document.getElementById("government-options");
  if (list) {
    var pending = 0;
    document.querySelectorAll("input[list=government-options]").forEach(function (input) {
      input.addEventListener("input", function () {
        var q = input.value.trim(), ticket = ++pending;
        if (!q || /\(\d+\)$/.test(q)) { return; }
        fetch(list.dataset.url + "?q=" + encodeURIComponent(q), { headers: { Accept: "application/json" } })
          .then(function (r) { return r.json(); })
          .then(function (data) {
            if (ticket !== pending) { return; }
            list.innerHTML = "";
            data.results.forEach(function (g) {
              var option = document.createElement("option");
              option.value = g.label;
              option.textContent = g.province ? g.province + " " + g.name : g.name;
              list.appendChild(option);
            });
          }).catch(function () { /* typing a code still works */ });
      });
    });
  }

  var all = document.getElementById("tick-all");
  if (all) {
    all.addEventListener("change", function () {
      document.querySelectorAll("input[name=reports]").forEach(function (box) { box.checked = all.checked; });
    });
  }
})();
