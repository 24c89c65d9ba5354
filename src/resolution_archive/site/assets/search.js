/* Search over the prebuilt index (search-index.js) — resolution-archive static site.
 *
 * Written for this site rather than vendored: the archive is small (tens of years, a few
 * thousand passages), Japanese has no spaces for a word index to split on, and the tool's own
 * `archive search` matches a substring of the normalised text (NFKC, no whitespace). Doing the
 * same here in ~100 lines keeps results identical to the CLI, works from file:// and never
 * touches the network. Results are built with DOM nodes and textContent only, so text from the
 * archive can never become markup.
 */
(function () {
  "use strict";

  var data = window.ARCHIVE_SEARCH_INDEX;
  var form = document.getElementById("search-form");
  var input = document.getElementById("q");
  var status = document.getElementById("search-status");
  var list = document.getElementById("search-results");
  var LIMIT = 200;
  var KINDS = { d: "決議", p: "宣言" };
  var UNITS = { d: "項目", p: "段落" };

  if (!data || !form || !input || !status || !list) {
    return;
  }

  /* The comparison form and, per UTF-16 unit of it, the display span it came from: a base
     character with its combining marks is normalised as one (as text/normalize.py does). */
  function comparisonMap(text) {
    var out = "";
    var start = [];
    var end = [];
    var cluster = /[^\p{M}][\p{M}]*|[\p{M}]+/gu;
    var match;
    while ((match = cluster.exec(text)) !== null) {
      var normal = match[0].normalize("NFKC").replace(/\s+/gu, "");
      for (var i = 0; i < normal.length; i += 1) {
        start.push(match.index);
        end.push(match.index + match[0].length);
      }
      out += normal;
    }
    return { text: out, start: start, end: end };
  }

  function spans(text, form) {
    var mapped = comparisonMap(text);
    var found = [];
    var at = mapped.text.indexOf(form);
    while (form && at >= 0) {
      found.push([mapped.start[at], mapped.end[at + form.length - 1]]);
      at = mapped.text.indexOf(form, at + form.length);
    }
    return found;
  }

  function highlighted(text, form) {
    var holder = document.createElement("span");
    holder.className = "text";
    var last = 0;
    spans(text, form).forEach(function (span) {
      if (span[0] < last) {
        return;
      }
      holder.appendChild(document.createTextNode(text.slice(last, span[0])));
      var mark = document.createElement("mark");
      mark.textContent = text.slice(span[0], span[1]);
      holder.appendChild(mark);
      last = span[1];
    });
    holder.appendChild(document.createTextNode(text.slice(last)));
    return holder;
  }

  function result(entry, form) {
    var item = document.createElement("li");
    var where = document.createElement("a");
    where.className = "where";
    where.href = entry.u;
    where.textContent = entry.y + "年 " + KINDS[entry.k] + " 第" + entry.n + UNITS[entry.k];
    item.appendChild(where);
    item.appendChild(highlighted(entry.k === "d" ? "一、" + entry.t : entry.t, form));
    if (entry.h) {
      var trail = document.createElement("a");
      trail.className = "thread";
      trail.href = entry.h;
      trail.textContent = "この要望の変遷：" + entry.ht;
      item.appendChild(trail);
    }
    return item;
  }

  /* Keep the query in the address (?q=…), so Back, a bookmark or a shared link shows the same
     results. Some browsers refuse this on file:// pages; the search works regardless. */
  function remember(query) {
    try {
      var url = new URL(window.location.href);
      if (query) {
        url.searchParams.set("q", query);
      } else {
        url.searchParams.delete("q");
      }
      window.history.replaceState(null, "", url.href);
    } catch (error) {
      /* not allowed here: nothing to remember */
    }
  }

  function run(query) {
    list.textContent = "";
    remember(query);
    var form = comparisonMap(query).text;
    if (!form) {
      status.textContent = "";
      return;
    }
    var hits = data.entries.filter(function (entry) {
      return entry.f.indexOf(form) >= 0;
    });
    var years = {};
    hits.forEach(function (entry) {
      years[entry.y] = true;
    });
    if (hits.length === 0) {
      status.textContent = "「" + query + "」を含む決議・宣言は見つかりませんでした。";
      return;
    }
    status.textContent = "「" + query + "」を含む項目・段落 " + hits.length + "件（" +
      Object.keys(years).length + "年分）" +
      (hits.length > LIMIT ? "。新しい年から" + LIMIT + "件を表示しています。" : "");
    hits.slice(0, LIMIT).forEach(function (entry) {
      list.appendChild(result(entry, form));
    });
  }

  var timer = null;
  input.addEventListener("input", function () {
    window.clearTimeout(timer);
    timer = window.setTimeout(function () {
      run(input.value);
    }, 150);
  });
  form.addEventListener("submit", function (event) {
    event.preventDefault();
    run(input.value);
  });

  var initial = new URLSearchParams(window.location.search).get("q");
  if (initial) {
    input.value = initial;
    run(initial);
  }
})();
