// The explorer page: reads /actuator/logsearch and /actuator/logpersistence and draws them.
// No framework, no inline code (the page's Content-Security-Policy forbids it), no outside resources.
(function () {
  "use strict";
  var LEVELS = ["TRACE", "DEBUG", "INFO", "WARN", "ERROR"];
  var SVG = "http://www.w3.org/2000/svg";
  var api = document.querySelector('meta[name="persistence-log-api"]').getAttribute("content");
  var form = document.getElementById("search");
  var statusLine = document.getElementById("status");
  var liveBox = document.getElementById("live");
  var liveTimer = null;
  var running = false;
  var pending = false;

  function el(tag, cls, text) {
    var node = document.createElement(tag);
    if (cls) node.className = cls;
    if (text !== undefined && text !== null) node.textContent = String(text);
    return node;
  }

  function svg(tag, attrs) {
    var node = document.createElementNS(SVG, tag);
    Object.keys(attrs).forEach(function (k) { node.setAttribute(k, attrs[k]); });
    return node;
  }

  // Form <-> query string, so a search can be bookmarked or shared.
  function params() {
    var p = new URLSearchParams();
    ["level", "logger", "q", "from", "limit"].forEach(function (name) {
      var value = form.elements[name].value.trim();
      if (value) p.set(name, value);
    });
    form.elements.fields.value.split(/[\s,]+/).forEach(function (pair) {
      var at = pair.indexOf("=");
      if (at > 0) p.set("field." + pair.slice(0, at), pair.slice(at + 1));
    });
    return p;
  }

  function restore() {
    var p = new URLSearchParams(window.location.search);
    var fields = [];
    p.forEach(function (value, name) {
      if (name.indexOf("field.") === 0) fields.push(name.slice(6) + "=" + value);
      else if (form.elements[name]) form.elements[name].value = value;
    });
    if (fields.length) form.elements.fields.value = fields.join(" ");
    liveBox.checked = p.get("live") === "1";
  }

  function run() {
    // A search asked for while one is under way runs when it ends, with the form as it is then.
    if (running) {
      pending = true;
      return;
    }
    running = true;
    pending = false;
    var p = params();
    var shown = new URLSearchParams(p);
    if (liveBox.checked) shown.set("live", "1");
    window.history.replaceState(null, "", "?" + shown.toString());
    statusLine.className = "status";
    statusLine.textContent = "Searching…";
    fetch(api + "/logsearch?" + p.toString(), { headers: { Accept: "application/json" }, credentials: "same-origin" })
      .then(function (response) {
        return response.json().catch(function () { return {}; }).then(function (body) {
          if (!response.ok) {
            throw new Error(body.message || ("The search answered HTTP " + response.status
              + (response.status === 404 ? ": expose the logsearch endpoint (management.endpoints.web.exposure.include)" : "")));
          }
          return body;
        });
      })
      .then(function (result) {
        drawChart(result);
        drawTable(result.entries);
        statusLine.textContent = result.entries.length + (result.truncated ? "+" : "") + " entries shown, newest first · "
          + result.scannedEntries + " entries read in " + result.scannedFiles + " file(s)"
          + (result.skippedLines ? " · " + result.skippedLines + " unreadable line(s) skipped" : "")
          + (result.truncated ? " · more match: narrow the search or raise the limit" : "");
      })
      .catch(function (error) {
        statusLine.className = "status error";
        statusLine.textContent = error.message;
      })
      .then(function () {
        running = false;
        if (pending) run();
      });
    loadBackends();
  }

  function drawChart(result) {
    var chart = document.getElementById("chart");
    var buckets = result.histogram || [];
    var width = 1000, height = 160, left = 36, bottom = 18, top = 6;
    var max = 1;
    buckets.forEach(function (b) {
      var total = LEVELS.reduce(function (sum, level) { return sum + (b.counts[level] || 0); }, 0);
      if (total > max) max = total;
    });
    var root = svg("svg", { viewBox: "0 0 " + width + " " + height, preserveAspectRatio: "none", role: "img",
      "aria-label": "Matching entries per level over time" });
    root.classList.add("histogram");
    var plotH = height - bottom - top;
    [0, 0.5, 1].forEach(function (f) {
      var y = top + plotH - f * plotH;
      root.appendChild(svg("line", { x1: left, x2: width, y1: y, y2: y, "class": "grid" }));
      var label = svg("text", { x: left - 4, y: y + 3, "text-anchor": "end", "class": "axis" });
      label.textContent = String(Math.round(max * f));
      root.appendChild(label);
    });
    var slot = (width - left) / Math.max(1, buckets.length);
    buckets.forEach(function (b, i) {
      var y = top + plotH;
      LEVELS.forEach(function (level) {
        var n = b.counts[level] || 0;
        if (!n) return;
        var h = n / max * plotH;
        y -= h;
        var rect = svg("rect", { x: left + i * slot + 1, y: y, width: Math.max(1, slot - 2), height: h,
          "class": "bar level-" + level });
        var tip = svg("title", {});
        tip.textContent = new Date(b.start).toLocaleString() + " · " + level + ": " + n;
        rect.appendChild(tip);
        root.appendChild(rect);
      });
      if (i % Math.ceil(buckets.length / 6) === 0) {
        var t = svg("text", { x: left + i * slot, y: height - 4, "class": "axis" });
        t.textContent = label(b.start, result.bucketMillis);
        root.appendChild(t);
      }
    });
    chart.replaceChildren(root);
    var legend = document.getElementById("legend");
    legend.replaceChildren.apply(legend, LEVELS.slice().reverse().map(function (level) {
      return el("span", "level-" + level, level);
    }));
  }

  function label(iso, bucketMillis) {
    var d = new Date(iso);
    if (bucketMillis >= 86400000) return d.toLocaleDateString();
    if (bucketMillis >= 3600000) return d.toLocaleDateString() + " " + d.toLocaleTimeString([], { hour: "2-digit", minute: "2-digit" });
    return d.toLocaleTimeString([], { hour: "2-digit", minute: "2-digit", second: bucketMillis < 60000 ? "2-digit" : undefined });
  }

  function drawTable(entries) {
    var body = document.querySelector("#entries tbody");
    var rows = [];
    if (!entries.length) {
      var empty = el("tr");
      var cell = el("td", "note", "No entries match in this range.");
      cell.colSpan = 5;
      empty.appendChild(cell);
      rows.push(empty);
    }
    entries.forEach(function (entry) {
      var tr = el("tr", "entry is-" + entry.level);
      tr.appendChild(el("td", "time", new Date(entry.timestamp).toLocaleString()));
      var lv = el("td");
      lv.appendChild(el("span", "lvl level-" + entry.level, entry.level));
      tr.appendChild(lv);
      tr.appendChild(el("td", "logger", entry.logger));
      var message = entry.message;
      if (entry.error && entry.error.type) message += "  — " + entry.error.type + (entry.error.message ? ": " + entry.error.message : "");
      tr.appendChild(el("td", "message", message));
      var td = el("td");
      var button = el("button", "json-toggle", "JSON");
      button.type = "button";
      button.setAttribute("aria-expanded", "false");
      td.appendChild(button);
      tr.appendChild(td);
      var detail = el("tr", "json");
      detail.hidden = true;
      var cell = el("td");
      cell.colSpan = 5;
      cell.appendChild(el("pre", null, JSON.stringify(entry, null, 2)));
      detail.appendChild(cell);
      tr.addEventListener("click", function () {
        detail.hidden = !detail.hidden;
        button.setAttribute("aria-expanded", String(!detail.hidden));
      });
      rows.push(tr, detail);
    });
    body.replaceChildren.apply(body, rows);
  }

  function loadBackends() {
    var box = document.getElementById("backends");
    fetch(api + "/logpersistence", { headers: { Accept: "application/json" }, credentials: "same-origin" })
      .then(function (response) {
        if (!response.ok) throw new Error("HTTP " + response.status);
        return response.json();
      })
      .then(function (report) {
        var cards = (report.activeBackends || []).map(function (name) {
          return card(name, (report.backends || {})[name] || {});
        });
        if (!cards.length) cards.push(el("p", "note", "No active backends."));
        box.replaceChildren.apply(box, cards);
      })
      .catch(function (error) {
        box.replaceChildren(el("p", "note", "Backend status unavailable (" + error.message
          + "): expose the logpersistence endpoint to see it."));
      });
  }

  function card(name, m) {
    var c = el("article", "card");
    c.dataset.backend = name;
    var h = el("h2", null, name);
    var state = m.circuitState || (m.failingSince ? "FAILING" : "OK");
    h.appendChild(el("span", "badge" + (state === "OK" || state === "CLOSED" ? "" : " open"), state));
    c.appendChild(h);
    var dl = el("dl");
    [["Written", m.totalWrites], ["Failed", m.failedWrites], ["Dropped", m.dropped], ["In flight", m.inFlight],
      ["Last error", m.lastError || "none"]].forEach(function (row) {
      dl.appendChild(el("dt", null, row[0]));
      var bad = (row[0] === "Failed" || row[0] === "Dropped") && row[1] > 0 || (row[0] === "Last error" && row[1] !== "none");
      dl.appendChild(el("dd", bad ? "bad" : null, row[1] === undefined || row[1] === null ? "–" : row[1]));
    });
    c.appendChild(dl);
    return c;
  }

  function schedule() {
    if (liveTimer) window.clearInterval(liveTimer);
    liveTimer = liveBox.checked ? window.setInterval(run, 5000) : null;
  }

  form.addEventListener("submit", function (event) { event.preventDefault(); run(); });
  ["level", "from", "limit"].forEach(function (name) { form.elements[name].addEventListener("change", run); });
  liveBox.addEventListener("change", function () { schedule(); run(); });
  restore();
  schedule();
  run();
})();
