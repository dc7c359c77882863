// Client side of the site search: MiniSearch over the index built by `ashlar docs build`
// (assets/search-index.js). Plain browser script, no modules: pages load from file:// too,
// where module scripts and fetch() of local files are refused.
(function () {
  'use strict';
  var data = window.ASHLAR_SEARCH;
  if (!data || !window.MiniSearch) return;
  var root = document.body.getAttribute('data-root') || '';
  var engine = window.MiniSearch.loadJS(data.index, data.options);
  var SEARCH_OPTIONS = { prefix: true, fuzzy: 0.2, boost: { title: 3 } };

  function search(query) {
    if (!query || query.trim().length < 2) return [];
    return engine.search(query, SEARCH_OPTIONS);
  }

  function resultItem(r) {
    var li = document.createElement('li');
    var a = document.createElement('a');
    a.href = root + r.url;
    a.textContent = r.title;
    var where = document.createElement('span');
    where.className = 'search-where';
    where.textContent = r.section;
    li.appendChild(a);
    li.appendChild(where);
    return li;
  }

  function fill(list, results, limit) {
    list.textContent = '';
    results.slice(0, limit).forEach(function (r) { list.appendChild(resultItem(r)); });
    return results.length;
  }

  var input = document.getElementById('search-input');
  var dropdown = document.getElementById('search-dropdown');
  if (input && dropdown) {
    input.addEventListener('input', function () {
      var n = fill(dropdown, search(input.value), 12);
      dropdown.hidden = n === 0;
    });
    input.addEventListener('keydown', function (e) {
      if (e.key === 'Escape') { dropdown.hidden = true; }
    });
  }

  // search.html lists every result for ?q=
  var page = document.getElementById('search-page-results');
  if (page) {
    var q = new URLSearchParams(window.location.search).get('q') || '';
    if (input) input.value = q;
    var count = fill(page, search(q), 200);
    var status = document.getElementById('search-page-status');
    if (status) status.textContent = q ? count + ' result' + (count === 1 ? '' : 's') + ' for “' + q + '”' : 'Type a word to search.';
  }
})();
