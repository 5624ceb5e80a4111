// Progressive enhancements shared by every page. Without JavaScript every page still works.
(function () {
  "use strict";
  document.documentElement.classList.add("js");
  var basePath = document.body.getAttribute("data-base-path") || "/";

  // The header search box goes to the search page (form submission itself is not allowed
  // by the Content-Security-Policy).
  document.querySelectorAll("form.site-search").forEach(function (form) {
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      var q = form.querySelector("input[name=q]").value.trim();
      window.location.href = basePath + "search/" + (q ? "?q=" + encodeURIComponent(q) : "");
    });
  });

  // Citation previews: hover or keyboard focus on [1] shows the formatted reference.
  var tip = null;
  function hidePreview() {
    if (tip) { tip.remove(); tip = null; }
  }
  function showPreview(link) {
    hidePreview();
    var target = document.getElementById(link.getAttribute("href").slice(1));
    var text = target && target.querySelector(".reference-text");
    if (!text) { return; }
    tip = document.createElement("span");
    tip.className = "cite-preview";
    tip.id = "cite-preview";
    tip.setAttribute("role", "tooltip");
    tip.innerHTML = text.innerHTML;
    link.insertAdjacentElement("afterend", tip);
    var box = link.getBoundingClientRect();
    var width = tip.offsetWidth;
    var left = Math.max(8, Math.min(box.left, window.innerWidth - width - 8));
    var below = box.bottom + 6;
    var top = below + tip.offsetHeight > window.innerHeight ? box.top - tip.offsetHeight - 6 : below;
    tip.style.left = left + "px";
    tip.style.top = Math.max(8, top) + "px";
  }
  document.querySelectorAll("a.cite-ref").forEach(function (link) {
    link.addEventListener("mouseenter", function () { showPreview(link); });
    link.addEventListener("focus", function () { showPreview(link); });
    link.addEventListener("mouseleave", hidePreview);
    link.addEventListener("blur", hidePreview);
  });
  document.addEventListener("keydown", function (event) {
    if (event.key === "Escape") { hidePreview(); }
  });
  window.addEventListener("scroll", hidePreview, { passive: true });

  // "Copy citation" buttons.
  document.querySelectorAll("button[data-copy]").forEach(function (button) {
    button.addEventListener("click", function () {
      var text = document.getElementById(button.getAttribute("data-copy")).textContent;
      navigator.clipboard.writeText(text).then(function () {
        button.textContent = "Copied";
      }, function () {
        button.textContent = "Select the text to copy it";
      });
    });
  });

  // The evidence table: sort by any column, filter by design, population, setting and agent.
  var table = document.getElementById("evidence-table");
  if (!table) { return; }
  var body = table.tBodies[0];
  var rows = Array.prototype.slice.call(body.rows);
  var headers = table.tHead.rows[0].cells;

  function cellText(row, index) {
    return (row.cells[index].textContent || "").trim().toLowerCase();
  }
  Array.prototype.forEach.call(headers, function (th, index) {
    var label = th.textContent.trim();
    var button = document.createElement("button");
    button.type = "button";
    button.className = "sort-button";
    button.textContent = label;
    th.textContent = "";
    th.appendChild(button);
    th.setAttribute("aria-sort", "none");
    button.addEventListener("click", function () {
      var ascending = th.getAttribute("aria-sort") !== "ascending";
      Array.prototype.forEach.call(headers, function (h) { h.setAttribute("aria-sort", "none"); });
      th.setAttribute("aria-sort", ascending ? "ascending" : "descending");
      rows.sort(function (a, b) {
        var x = cellText(a, index), y = cellText(b, index);
        var order = x.localeCompare(y, undefined, { numeric: true });
        return ascending ? order : -order;
      });
      rows.forEach(function (row) { body.appendChild(row); });
    });
  });

  var facets = [["Design", 1], ["Population", 2], ["Setting", 3], ["Agents", 4]];
  var controls = document.createElement("div");
  controls.className = "table-filters";
  controls.setAttribute("role", "group");
  controls.setAttribute("aria-label", "Filter the evidence table");
  var selects = [];
  facets.forEach(function (facet) {
    var values = {};
    rows.forEach(function (row) {
      row.cells[facet[1]].querySelectorAll("a.term").forEach(function (a) {
        values[a.textContent.trim()] = true;
      });
    });
    var id = "filter-" + facet[0].toLowerCase();
    var label = document.createElement("label");
    label.setAttribute("for", id);
    label.textContent = facet[0];
    var select = document.createElement("select");
    select.id = id;
    select.appendChild(new Option("All", ""));
    Object.keys(values).sort().forEach(function (value) { select.appendChild(new Option(value, value)); });
    select.addEventListener("change", applyFilters);
    selects.push([select, facet[1]]);
    var wrapper = document.createElement("span");
    wrapper.appendChild(label);
    wrapper.appendChild(select);
    controls.appendChild(wrapper);
  });
  var count = document.createElement("p");
  count.className = "table-count";
  count.setAttribute("role", "status");
  table.parentNode.parentNode.insertBefore(controls, table.parentNode);
  table.parentNode.parentNode.insertBefore(count, table.parentNode);

  function applyFilters() {
    var shown = 0;
    rows.forEach(function (row) {
      var visible = selects.every(function (pair) {
        var wanted = pair[0].value;
        if (!wanted) { return true; }
        return Array.prototype.some.call(row.cells[pair[1]].querySelectorAll("a.term"),
          function (a) { return a.textContent.trim() === wanted; });
      });
      row.hidden = !visible;
      if (visible) { shown += 1; }
    });
    count.textContent = shown + " of " + rows.length + " entries shown";
  }
  applyFilters();
})();
