// The search page: Pagefind full-text search with facets; the state lives in the URL.
(function () {
  "use strict";
  var basePath = document.body.getAttribute("data-base-path") || "/";
  var FACETS = [["kind", "Kind"], ["design", "Design"], ["population", "Population"],
    ["setting", "Setting"], ["agent", "Agent"], ["question", "Question"], ["outcome", "Outcome"],
    ["certainty", "Certainty (GRADE)"], ["year", "Year"]];
  var form = document.getElementById("search-form");
  var input = document.getElementById("search-q");
  var facetsBox = document.getElementById("facets");
  var status = document.getElementById("search-status");
  var list = document.getElementById("search-results");
  var showFacets = document.getElementById("show-facets");
  var more = document.getElementById("more-results");
  var pagefind = null;
  var PAGE = 10; // results shown at once: each one fetches its own fragment
  var filtersLoaded = false;

  function stateFromUrl() {
    var params = new URLSearchParams(window.location.search);
    var filters = {};
    FACETS.forEach(function (facet) {
      var values = params.getAll(facet[0]);
      if (values.length) { filters[facet[0]] = values; }
    });
    return { q: params.get("q") || "", filters: filters };
  }

  function writeUrl(state) {
    var params = new URLSearchParams();
    if (state.q) { params.set("q", state.q); }
    Object.keys(state.filters).forEach(function (name) {
      state.filters[name].forEach(function (value) { params.append(name, value); });
    });
    var query = params.toString();
    history.replaceState(null, "", window.location.pathname + (query ? "?" + query : ""));
  }

  function currentState() {
    var filters = {};
    facetsBox.querySelectorAll("input[type=checkbox]:checked").forEach(function (box) {
      (filters[box.name] = filters[box.name] || []).push(box.value);
    });
    return { q: input.value.trim(), filters: filters };
  }

  function renderFacets(available, state) {
    facetsBox.textContent = "";
    FACETS.forEach(function (facet) {
      var counts = available[facet[0]];
      if (!counts || !Object.keys(counts).length) { return; }
      var fieldset = document.createElement("fieldset");
      var legend = document.createElement("legend");
      legend.textContent = facet[1];
      fieldset.appendChild(legend);
      Object.keys(counts).sort().forEach(function (value, index) {
        var id = "facet-" + facet[0] + "-" + index;
        var box = document.createElement("input");
        box.type = "checkbox";
        box.id = id;
        box.name = facet[0];
        box.value = value;
        box.checked = (state.filters[facet[0]] || []).indexOf(value) >= 0;
        box.addEventListener("change", run);
        var label = document.createElement("label");
        label.setAttribute("for", id);
        label.textContent = value + " (" + counts[value] + ")";
        var row = document.createElement("div");
        row.className = "facet-option";
        row.appendChild(box);
        row.appendChild(label);
        fieldset.appendChild(row);
      });
      facetsBox.appendChild(fieldset);
    });
  }

  function renderResult(data) {
    var item = document.createElement("li");
    var link = document.createElement("a");
    link.href = data.url;
    link.textContent = data.meta.title || data.url;
    var heading = document.createElement("h3");
    heading.appendChild(link);
    var meta = document.createElement("p");
    meta.className = "result-meta";
    meta.textContent = [data.meta.type, data.meta.year].filter(Boolean).join(" · ");
    var excerpt = document.createElement("p");
    excerpt.className = "result-excerpt";
    excerpt.innerHTML = data.excerpt; // Pagefind escapes page text and adds only <mark>
    item.appendChild(heading);
    item.appendChild(meta);
    item.appendChild(excerpt);
    return item;
  }

  var runId = 0;
  function run(event) {
    if (event && event.preventDefault) { event.preventDefault(); }
    var state = currentState();
    writeUrl(state);
    search(state);
  }

  var allFilters = {};
  var shown = [];

  function showMore() {
    var next = shown.splice(0, PAGE);
    more.hidden = shown.length === 0;
    var id = runId;
    return Promise.all(next.map(function (r) { return r.data(); })).then(function (results) {
      if (id !== runId) { return; }
      results.forEach(function (data) { list.appendChild(renderResult(data)); });
    });
  }

  function search(state) {
    var id = ++runId;
    var active = Boolean(state.q) || Object.keys(state.filters).length > 0;
    status.textContent = active ? "Searching…" : "";
    var pending = active ? pagefind.search(state.q || null, { filters: state.filters })
      : Promise.resolve(null);
    pending.then(function (response) {
      if (id !== runId) { return; }
      if (filtersLoaded) { renderFacets(response ? response.filters : allFilters, state); }
      list.textContent = "";
      shown = [];
      more.hidden = true;
      if (!response) {
        status.textContent = "Type a word to search, or choose a filter.";
        return;
      }
      status.textContent = response.results.length + " result" +
        (response.results.length === 1 ? "" : "s");
      shown = response.results.slice();
      return showMore();
    }).catch(function (error) {
      status.textContent = "Search is unavailable: " + error;
    });
  }

  // The filter indexes are the largest part of a first search: they are fetched when a
  // reader asks for the filters, arrives with some chosen, or browses without a query.
  function loadFilters() {
    showFacets.hidden = true;
    return pagefind.filters().then(function (filters) {
      allFilters = filters;
      filtersLoaded = true;
    });
  }

  import(basePath + "pagefind/pagefind.js").then(function (module) {
    pagefind = module;
    return pagefind.options({ baseUrl: basePath, excerptLength: 30 });
  }).then(function () {
    var state = stateFromUrl();
    var needed = !state.q || Object.keys(state.filters).length > 0;
    return (needed ? loadFilters() : Promise.resolve()).then(function () { return state; });
  }).then(function (state) {
    input.value = state.q;
    form.addEventListener("submit", run);
    input.addEventListener("input", function () {
      clearTimeout(input._timer);
      input._timer = setTimeout(run, 250);
    });
    more.addEventListener("click", showMore);
    showFacets.hidden = filtersLoaded;
    showFacets.addEventListener("click", function () {
      loadFilters().then(function () { search(currentState()); });
    });
    search(state);
  }).catch(function (error) {
    status.textContent = "Search could not be loaded: " + error;
  });
})();
