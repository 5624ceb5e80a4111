// The search page: Pagefind full-text search with facets; the state lives in the URL.
// Exact words first: a word the index does not hold is not silently replaced by words that
// merely begin like it, and when only those exist the page says so.
(function () {
  "use strict";
  var basePath = document.body.getAttribute("data-base-path") || "/";
  var FACETS = [["kind", "Kind"], ["design", "Design"], ["population", "Population"],
    ["setting", "Setting"], ["agent", "Agent"], ["question", "Question"], ["outcome", "Outcome"],
    ["certainty", "Certainty (GRADE)"], ["year", "Year"]];
  var form = document.getElementById("search-form");
  var input = document.getElementById("search-q");
  var header = document.getElementById("site-search-q");
  var facetsBox = document.getElementById("facets");
  var status = document.getElementById("search-status");
  var list = document.getElementById("search-results");
  var toggle = document.getElementById("show-facets");
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

  var chosen = {}; // the filters of the last state, kept while the panel is closed
  function currentState() {
    var filters = {};
    if (filtersLoaded) {
      facetsBox.querySelectorAll("input[type=checkbox]:checked").forEach(function (box) {
        (filters[box.name] = filters[box.name] || []).push(box.value);
      });
    } else {
      filters = chosen;
    }
    return { q: input.value.trim(), filters: filters };
  }

  // Options within a group are alternatives (any of them); groups narrow each other.
  function pagefindFilters(filters, without) {
    var out = {};
    Object.keys(filters).forEach(function (name) {
      if (name !== without) { out[name] = { any: filters[name] }; }
    });
    return out;
  }

  function countChosen(filters) {
    return Object.keys(filters).reduce(function (n, name) { return n + filters[name].length; }, 0);
  }

  function renderFacets(counts, state) {
    var active = document.activeElement; // kept on the same option when the panel is redrawn
    var focused = active && facetsBox.contains(active) ? [active.name, active.value] : null;
    facetsBox.textContent = "";
    FACETS.forEach(function (facet) {
      var group = counts[facet[0]] || {};
      var picked = state.filters[facet[0]] || [];
      var values = Object.keys(group).filter(function (value) {
        return group[value] > 0 || picked.indexOf(value) >= 0; // no options that find nothing
      }).sort();
      if (!values.length) { return; }
      var fieldset = document.createElement("fieldset");
      var legend = document.createElement("legend");
      legend.textContent = facet[1];
      fieldset.appendChild(legend);
      values.forEach(function (value, index) {
        var id = "facet-" + facet[0] + "-" + index;
        var box = document.createElement("input");
        box.type = "checkbox";
        box.id = id;
        box.name = facet[0];
        box.value = value;
        box.checked = picked.indexOf(value) >= 0;
        box.addEventListener("change", run);
        var refocus = focused && focused[0] === box.name && focused[1] === value;
        var label = document.createElement("label");
        label.setAttribute("for", id);
        label.textContent = value + " (" + (group[value] || 0) + ")";
        var row = document.createElement("div");
        row.className = "facet-option";
        row.appendChild(box);
        row.appendChild(label);
        fieldset.appendChild(row);
        if (refocus) { setTimeout(function () { box.focus(); }, 0); }
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

  var shown = [];
  function showMore() {
    var next = shown.splice(0, PAGE);
    more.hidden = shown.length === 0;
    var id = runId;
    return Promise.all(next.map(function (r) { return r.data(); })).then(function (results) {
      if (id !== runId) { return results; }
      results.forEach(function (data) { list.appendChild(renderResult(data)); });
      return results;
    });
  }

  // Exact words (the query as a phrase) first, in the order of Pagefind's ranking; words
  // that only begin like the query when nothing matches exactly.
  function phraseOf(q) { return '"' + q.replace(/"/g, "") + '"'; }
  function find(q, filters) {
    var options = { filters: filters };
    if (!q) { return pagefind.search(null, options).then(function (r) { return [r, true]; }); }
    return Promise.all([pagefind.search(phraseOf(q), options), pagefind.search(q, options)])
      .then(function (both) {
        var exact = both[0], loose = both[1];
        if (!exact.results.length) { return [loose, false]; }
        var wanted = {};
        exact.results.forEach(function (r) { wanted[r.id] = true; });
        var ranked = loose.results.filter(function (r) { return wanted[r.id]; });
        var seen = {};
        ranked.forEach(function (r) { seen[r.id] = true; });
        exact.results.forEach(function (r) { if (!seen[r.id]) { ranked.push(r); } });
        return [{ results: ranked, filters: exact.filters }, true];
      });
  }

  // Each group's counts come from a search without that group's own choices, so that
  // ticking one option leaves its siblings' counts as they were.
  function facetCounts(state, response, exact) {
    var counts = Object.assign({}, response.filters);
    var term = state.q ? (exact ? phraseOf(state.q) : state.q) : null;
    return Promise.all(Object.keys(state.filters).map(function (name) {
      return pagefind.search(term, { filters: pagefindFilters(state.filters, name) })
        .then(function (found) { counts[name] = found.filters[name] || {}; });
    })).then(function () { return counts; });
  }

  function beginning(q, results) {
    var marks = [];
    results.forEach(function (data) {
      (data.excerpt.match(/<mark>([^<]*)<\/mark>/g) || []).forEach(function (m) {
        var word = m.replace(/<\/?mark>/g, "").toLowerCase().replace(/[^\w-]+$/, "");
        if (word && marks.indexOf(word) < 0) { marks.push(word); }
      });
    });
    return marks.slice(0, 4).join(", ");
  }

  function search(state) {
    var id = ++runId;
    var active = Boolean(state.q) || countChosen(state.filters) > 0;
    chosen = state.filters;
    if (header) { header.value = state.q; }
    toggle.textContent = "Filters" + (countChosen(state.filters) ? " (" + countChosen(state.filters) + ")" : "");
    status.textContent = active ? "Searching…" : "";
    var pending = active ? find(state.q, pagefindFilters(state.filters)) : Promise.resolve(null);
    pending.then(function (found) {
      if (id !== runId) { return; }
      var response = found && found[0];
      list.textContent = "";
      shown = [];
      more.hidden = true;
      if (filtersLoaded) {
        var counts = response ? facetCounts(state, response, found[1]) : pagefind.filters();
        counts.then(function (c) { if (id === runId) { renderFacets(c, state); } });
      }
      if (!response) {
        status.textContent = "Type a word to search, or choose a filter.";
        return;
      }
      var n = response.results.length;
      var total = n + " result" + (n === 1 ? "" : "s");
      status.textContent = total;
      shown = response.results.slice();
      return showMore().then(function (first) {
        if (id !== runId || found[1] || !n) { return; }
        status.textContent = total + ". No exact matches for “" + state.q +
          "”; showing results for words beginning with it or part of it" +
          (first && beginning(state.q, first) ? " (" + beginning(state.q, first) + ")." : ".");
      });
    }).catch(function (error) {
      status.textContent = "Search is unavailable: " + error;
    });
  }

  // The filter indexes are the largest part of a first search: they are fetched when a
  // reader opens the filters, arrives with some chosen, or browses without a query.
  function loadFilters() {
    if (filtersLoaded) { return Promise.resolve(); }
    return pagefind.filters().then(function () { filtersLoaded = true; });
  }
  function openFilters(open) {
    toggle.setAttribute("aria-expanded", open ? "true" : "false");
    facetsBox.hidden = !open;
  }

  import(basePath + "pagefind/pagefind.js").then(function (module) {
    pagefind = module;
    return pagefind.options({ baseUrl: basePath, excerptLength: 30 });
  }).then(function () {
    var state = stateFromUrl();
    chosen = state.filters;
    var wanted = countChosen(state.filters) > 0;
    var needed = !state.q || wanted;
    return (needed ? loadFilters() : Promise.resolve()).then(function () {
      openFilters(wanted && window.matchMedia("(min-width: 48.01rem)").matches);
      return state;
    });
  }).then(function (state) {
    input.value = state.q;
    form.addEventListener("submit", run);
    input.addEventListener("input", function () {
      clearTimeout(input._timer);
      input._timer = setTimeout(run, 250);
    });
    more.addEventListener("click", showMore);
    toggle.addEventListener("click", function () {
      var open = toggle.getAttribute("aria-expanded") !== "true";
      openFilters(open);
      if (open) { loadFilters().then(function () { search(currentState()); }); }
    });
    search(state);
  }).catch(function (error) {
    status.textContent = "Search could not be loaded: " + error;
  });
})();
