// The evidence explorer: the evidence table sorted and filtered in the page, with the
// state in the address (shareable, restored on reload, and the back button steps back).
(function () {
  "use strict";
  var table = document.getElementById("evidence-table");
  if (!table) { return; }
  var body = table.tBodies[0];
  var rows = Array.prototype.slice.call(body.rows);
  var headers = Array.prototype.slice.call(table.tHead.rows[0].cells);
  var COLUMNS = headers.map(function (th) { return th.textContent.trim(); });
  var FACETS = [["design", "Design", 1], ["population", "Population", 2],
    ["setting", "Setting", 3], ["agent", "Agents", 4], ["outcome", "Outcome", -1],
    ["question", "Question", 6]];
  var DEFAULT_SORT = "year-desc";

  function key(name) { return name.toLowerCase(); }
  function cellText(row, index) { return (row.cells[index].textContent || "").trim().toLowerCase(); }
  // A cell's terms; a field the work does not report reads "not reported".
  function termsOf(row, index) {
    // the Questions column holds links to the questions (a cell of the evidence map filters
    // by one); the other columns hold terms
    var found = Array.prototype.map.call(row.cells[index].querySelectorAll(index === 6 ? "a" : ".term"),
      function (term) { return term.textContent.trim(); });
    return found.length ? found : ["not reported"];
  }
  // The outcomes an entry reports results for: no column, the row carries them.
  function outcomesOf(row) {
    var found = (row.getAttribute("data-outcomes") || "").split("|").filter(Boolean);
    return found.length ? found : ["not reported"];
  }
  rows.forEach(function (row) {
    row._terms = FACETS.map(function (facet) {
      return facet[2] < 0 ? outcomesOf(row) : termsOf(row, facet[2]);
    });
    row._text = row.textContent.replace(/\s+/g, " ").toLowerCase();
  });

  // -- controls ------------------------------------------------------------------
  function labelled(id, text, control) {
    var wrapper = document.createElement("span");
    var label = document.createElement("label");
    label.setAttribute("for", id);
    label.textContent = text;
    control.id = id;
    wrapper.appendChild(label);
    wrapper.appendChild(control);
    return wrapper;
  }
  var controls = document.createElement("div");
  controls.className = "table-filters";
  controls.setAttribute("role", "group");
  controls.setAttribute("aria-label", "Filter and sort the evidence table");
  var text = document.createElement("input");
  text.type = "search";
  text.autocomplete = "off";
  controls.appendChild(labelled("filter-text", "Text", text));
  var selects = FACETS.map(function (facet, position) {
    var values = {};
    rows.forEach(function (row) { row._terms[position].forEach(function (v) { values[v] = true; }); });
    var select = document.createElement("select");
    select.appendChild(new Option("All", ""));
    Object.keys(values).sort(function (a, b) {
      return (a === "not reported") - (b === "not reported") || a.localeCompare(b);
    }).forEach(function (value) { select.appendChild(new Option(value, value)); });
    controls.appendChild(labelled("filter-" + facet[0], facet[1], select));
    return select;
  });
  var sorter = document.createElement("select");
  COLUMNS.forEach(function (name) {
    var k = key(name);
    var down = k === "year" ? ", newest first" : ", Z to A";
    var up = k === "year" ? ", oldest first" : ", A to Z";
    sorter.appendChild(new Option(name + (k === "year" ? down : up), k + (k === "year" ? "-desc" : "-asc")));
    sorter.appendChild(new Option(name + (k === "year" ? up : down), k + (k === "year" ? "-asc" : "-desc")));
  });
  controls.appendChild(labelled("sort-table", "Sort", sorter));
  var count = document.createElement("p");
  count.className = "table-count";
  count.setAttribute("role", "status");
  var empty = document.createElement("div");
  empty.className = "empty-state";
  empty.hidden = true;
  var emptyText = document.createElement("p");
  emptyText.textContent = "No entry matches these filters.";
  var clear = document.createElement("button");
  clear.type = "button";
  clear.textContent = "Clear filters";
  empty.appendChild(emptyText);
  empty.appendChild(clear);
  var holder = table.parentNode;
  // the page keeps room for the controls (no layout shift when they arrive)
  var slot = document.getElementById("explorer-slot") || holder.parentNode;
  slot.insertBefore(controls, slot === holder.parentNode ? holder : null);
  slot.insertBefore(count, slot === holder.parentNode ? holder : null);
  holder.parentNode.insertBefore(empty, holder.nextSibling);

  headers.forEach(function (th, index) {
    var button = document.createElement("button");
    button.type = "button";
    button.className = "sort-button";
    button.textContent = COLUMNS[index];
    th.textContent = "";
    th.appendChild(button);
    button.addEventListener("click", function () {
      var ascending = th.getAttribute("aria-sort") !== "ascending";
      sorter.value = key(COLUMNS[index]) + (ascending ? "-asc" : "-desc");
      changed(true);
    });
  });

  // -- state <-> address ---------------------------------------------------------
  function stateFromControls() {
    var state = { q: text.value.trim(), sort: sorter.value, filters: {} };
    FACETS.forEach(function (facet, i) { if (selects[i].value) { state.filters[facet[0]] = selects[i].value; } });
    return state;
  }
  function query(state) {
    var params = new URLSearchParams();
    if (state.q) { params.set("q", state.q); }
    FACETS.forEach(function (facet) { if (state.filters[facet[0]]) { params.set(facet[0], state.filters[facet[0]]); } });
    if (state.sort !== DEFAULT_SORT) { params.set("sort", state.sort); }
    var s = params.toString();
    return window.location.pathname + (s ? "?" + s : "");
  }
  function controlsFromUrl() {
    var params = new URLSearchParams(window.location.search);
    text.value = params.get("q") || "";
    FACETS.forEach(function (facet, i) {
      var wanted = params.get(facet[0]) || "";
      var known = Array.prototype.some.call(selects[i].options, function (o) { return o.value === wanted; });
      selects[i].value = known ? wanted : "";
    });
    var sort = params.get("sort") || DEFAULT_SORT;
    sorter.value = Array.prototype.some.call(sorter.options, function (o) { return o.value === sort; })
      ? sort : DEFAULT_SORT;
  }

  // -- showing -------------------------------------------------------------------
  function apply() {
    var state = stateFromControls();
    var parts = state.sort.split("-");
    var index = COLUMNS.map(key).indexOf(parts[0]);
    var sign = parts[1] === "desc" ? -1 : 1;
    headers.forEach(function (th, i) {
      th.setAttribute("aria-sort", i === index ? (sign > 0 ? "ascending" : "descending") : "none");
    });
    rows.slice().sort(function (a, b) {
      var x = cellText(a, index), y = cellText(b, index);
      var missing = (x === "not reported") - (y === "not reported"); // always last
      return missing || sign * x.localeCompare(y, undefined, { numeric: true }) ||
        cellText(a, 0).localeCompare(cellText(b, 0));
    }).forEach(function (row) { body.appendChild(row); });
    var words = state.q.toLowerCase().split(/\s+/).filter(Boolean);
    var shown = 0;
    rows.forEach(function (row) {
      var visible = FACETS.every(function (facet, i) {
        var wanted = state.filters[facet[0]];
        return !wanted || row._terms[i].indexOf(wanted) >= 0;
      }) && words.every(function (word) { return row._text.indexOf(word) >= 0; });
      row.hidden = !visible;
      if (visible) { shown += 1; }
    });
    count.textContent = shown + " of " + rows.length + " entries shown";
    empty.hidden = shown > 0;
    holder.hidden = shown === 0;
  }
  function changed(step) {
    var address = query(stateFromControls());
    if (address !== window.location.pathname + window.location.search) {
      history[step ? "pushState" : "replaceState"](null, "", address);
    }
    apply();
  }
  selects.forEach(function (select) { select.addEventListener("change", function () { changed(true); }); });
  sorter.addEventListener("change", function () { changed(true); });
  var typing = null;
  text.addEventListener("input", function () {
    // the first keystroke of a search is a step back can return from; the rest refine it
    changed(typing === null);
    clearTimeout(typing);
    typing = setTimeout(function () { typing = null; }, 1000);
  });
  clear.addEventListener("click", function () {
    text.value = "";
    selects.forEach(function (select) { select.value = ""; });
    changed(true);
    text.focus();
  });
  window.addEventListener("popstate", function () { controlsFromUrl(); apply(); });
  controlsFromUrl();
  apply();
})();
