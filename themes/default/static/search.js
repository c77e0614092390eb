/* gazette default theme: search on /search/, from the sharded index (docs/search.md).
 *
 * Loads the index's small manifest (counts and facets), then for each word of a query the
 * one shard its words are in, and for the results shown their display files: every file is
 * a script calling window.gazetteSearch (a <script src> works from a file:// copy, where
 * fetch does not). Matching, for every word of the query (split where the text is not a
 * letter, mark or digit, Thai cut into words by Intl.Segmenter, then NFKD, accents
 * U+0300-U+036F dropped, lowercased, as the index's words were):
 *   - a word of three or more characters is the start of some word of the entry (its title,
 *     text, partners with every name, topics, place, reference number); a shorter one is a
 *     whole word of it;
 *   - every word must match, and every filter chosen (partner, topic, kind, year, language).
 * Sorted by relevance (words in the title count most, then partners, topics and reference
 * numbers, then the place, then the summary, then the text) or newest first. The query,
 * filters and sort are kept in the address (?q=...&partner=...), so a search can be linked.
 * No dependencies, no network access beyond the site's own files.
 */
(function () {
  "use strict";

  var form = document.querySelector(".search__form");
  if (!form || !("normalize" in String.prototype) || typeof Uint32Array === "undefined" ||
      typeof Promise === "undefined") {
    return;
  }
  var input = form.querySelector("input[name=q]");
  var FILTERS = ["partner", "topic", "kind", "year", "language"];
  var FACETS = { partner: "partners", topic: "topics", kind: "kinds", year: "years",
    language: "languages" };
  var PREFIX = { partner: ":p:", topic: ":t:", kind: ":k:", year: ":y:", language: ":l:" };
  var selects = {};
  FILTERS.concat(["sort"]).forEach(function (name) {
    selects[name] = form.querySelector("select[name=" + name + "]");
  });
  var status = document.getElementById("search-status");
  var list = document.getElementById("search-results");
  var more = document.querySelector(".search__more");
  var moreButton = more && more.querySelector("button");

  var PAGE = 20;
  var DEBOUNCE_MS = 150;
  var SNIPPET = 220;
  var MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August",
    "September", "October", "November", "December"];
  var SPLIT = /[^\p{L}\p{M}\p{N}]+/u;
  var WORD = /[\p{L}\p{M}\p{N}]+/gu;
  var THAI = /[\u0E00-\u0E7F]/;
  var segmenter = typeof Intl !== "undefined" && Intl.Segmenter ?
    new Intl.Segmenter("th", { granularity: "word" }) : null;

  var indexBase = new URL(form.getAttribute("data-index") || "index/", window.location.href);
  var manifest = null;
  var results = [];
  var words = [];
  var shown = 0;
  var lastKey = null;
  var timer = 0;
  var generation = 0;

  /* ---- Loading the index's files ---- */

  var waiting = {};
  var loaded = {};
  function arrived(key, value) {
    var resolve = waiting[key];
    if (resolve) {
      delete waiting[key];
      resolve(value);
    }
  }
  window.gazetteSearch = {
    manifest: function (m) { arrived("m", m); },
    shard: function (n, data) { arrived("s" + n, data); },
    docs: function (n, list) { arrived("d" + n, list); }
  };
  function load(key, path) {
    if (!loaded[key]) {
      loaded[key] = new Promise(function (resolve, reject) {
        waiting[key] = resolve;
        var script = document.createElement("script");
        script.src = new URL(path, indexBase).href;
        script.async = true;
        script.addEventListener("load", function () { script.remove(); });
        script.addEventListener("error", function () {
          delete loaded[key];
          delete waiting[key];
          script.remove();
          reject(new Error("cannot load " + path));
        });
        document.head.appendChild(script);
      });
    }
    return loaded[key];
  }

  /* ---- Words ---- */

  /* Lowercase, compatibility-decomposed, without the accents of Latin letters. */
  function fold(text) {
    return text.normalize("NFKD").replace(/[\u0300-\u036f]/g, "").toLowerCase();
  }

  /* The words of `text` as written, each {text, at}; Thai cut into words. */
  function wordsOf(text) {
    var found = [];
    var match;
    WORD.lastIndex = 0;
    while ((match = WORD.exec(text)) !== null) {
      var run = match[0];
      if (segmenter && THAI.test(run)) {
        Array.from(segmenter.segment(run)).forEach(function (s) {
          found.push({ text: s.segment, at: match.index + s.index });
        });
      } else {
        found.push({ text: run, at: match.index });
      }
    }
    return found;
  }

  /* The query's distinct folded words, each {text, prefix}. */
  function parse(query) {
    var seen = {};
    var out = [];
    query.split(SPLIT).forEach(function (run) {
      wordsOf(run).forEach(function (w) {
        var text = fold(w.text);
        if (text && !seen[text]) {
          seen[text] = true;
          out.push({ text: text, prefix: Array.from(text).length >= 3 });
        }
      });
    });
    return out;
  }

  function matches(word, folded) {
    return word.prefix ? folded.indexOf(word.text) === 0 : folded === word.text;
  }

  /* ---- Shards ---- */

  /* FNV-1a over the UTF-16 units of the term's first three characters (all of a filter
   * term), as the index was cut. */
  function shardOf(term) {
    var key = term.charAt(0) === ":" ? term : Array.from(term).slice(0, 3).join("");
    var hash = 0x811c9dc5;
    for (var i = 0; i < key.length; i++) {
      hash = Math.imul(hash ^ key.charCodeAt(i), 0x01000193) >>> 0;
    }
    return hash % manifest.shards;
  }

  var decoder = new TextDecoder();
  var shards = {};
  /* The shard holding `term`, as {terms: [[term, offset]...], bytes}. */
  function shard(term) {
    var n = shardOf(term);
    return load("s" + n, "s/" + n + ".js").then(function (data) {
      if (!shards[n]) {
        var binary = window.atob(data);
        var bytes = new Uint8Array(binary.length);
        for (var i = 0; i < binary.length; i++) {
          bytes[i] = binary.charCodeAt(i);
        }
        var terms = [];
        var at = 0;
        var reader = { bytes: bytes, at: 0 };
        while (reader.at < bytes.length) {
          var length = number(reader);
          at = reader.at;
          var text = decoder.decode(bytes.subarray(at, at + length));
          reader.at = at + length;
          var size = number(reader);
          terms.push([text, reader.at]);
          reader.at += size;
        }
        shards[n] = { terms: terms, bytes: bytes };
      }
      return shards[n];
    });
  }

  function number(reader) {
    var n = 0;
    var shift = 0;
    var b;
    do {
      b = reader.bytes[reader.at++];
      n += (b & 0x7f) * Math.pow(2, shift);
      shift += 7;
    } while (b >= 0x80);
    return n;
  }

  function emptySet() {
    return new Uint32Array((manifest.docs + 31) >> 5);
  }

  /* Adds the set at the reader's place to `into` (a bitmap of documents). */
  function readSet(reader, into) {
    var bytes = reader.bytes;
    if (bytes[reader.at++] === 1) {
      var length = (manifest.docs + 7) >> 3;
      for (var i = 0; i < length; i++) {
        var b = bytes[reader.at + i];
        if (b) {
          into[i >> 2] |= b << ((i & 3) * 8);
        }
      }
      reader.at += length;
      return;
    }
    var count = number(reader);
    var doc = 0;
    for (var k = 0; k < count; k++) {
      doc += number(reader);
      into[doc >> 5] |= 1 << (doc & 31);
    }
  }

  /* For a word (or a filter term), the documents it is in, and those where it is in the
   * title, a name, the place and the summary: {all, fields: [4 bitmaps]}. */
  function lookUp(word) {
    return shard(word.text).then(function (found) {
      var sets = { all: emptySet(), fields: [emptySet(), emptySet(), emptySet(), emptySet()] };
      found.terms.forEach(function (entry) {
        if (entry[0].charAt(0) === ":" && word.text.charAt(0) !== ":") {
          return;
        }
        if (!matches(word, entry[0])) {
          return;
        }
        var reader = { bytes: found.bytes, at: entry[1] };
        readSet(reader, sets.all);
        sets.fields.forEach(function (set) { readSet(reader, set); });
      });
      return sets;
    });
  }

  function has(set, doc) {
    return (set[doc >> 5] >>> (doc & 31)) & 1;
  }

  var WEIGHTS = [8, 4, 2, 1];
  /* The documents matching every word and filter, in the order asked for. */
  function find(query) {
    var lookups = query.words.map(lookUp);
    var filters = FILTERS.filter(function (f) { return query[f]; }).map(function (f) {
      return lookUp({ text: PREFIX[f] + query[f], prefix: false });
    });
    return Promise.all(lookups.concat(filters)).then(function (sets) {
      var all = sets.map(function (s) { return s.all; });
      var hits = emptySet();
      hits.set(all[0]);
      all.slice(1).forEach(function (set) {
        for (var i = 0; i < hits.length; i++) {
          hits[i] &= set[i];
        }
      });
      var found = [];
      for (var w = 0; w < hits.length; w++) {
        var bits = hits[w];
        while (bits) {
          var low = bits & -bits;
          found.push(w * 32 + 31 - Math.clz32(low));
          bits ^= low;
        }
      }
      if (query.sort !== "date" && query.words.length > 0) {
        var wordSets = sets.slice(0, lookups.length);
        var score = new Uint16Array(manifest.docs);
        found.forEach(function (doc) {
          var s = 0;
          wordSets.forEach(function (set) {
            s += 1;
            set.fields.forEach(function (field, i) {
              if (has(field, doc)) {
                s += WEIGHTS[i];
              }
            });
          });
          score[doc] = s;
        });
        found.sort(function (a, b) { return score[b] - score[a] || a - b; });
      }
      return found;
    });
  }

  /* ---- The form and the address ---- */

  function current() {
    var query = { q: input.value, words: parse(input.value),
      sort: selects.sort ? selects.sort.value : "" };
    FILTERS.forEach(function (f) { query[f] = selects[f] ? selects[f].value : ""; });
    return query;
  }

  function keyOf(query) {
    return JSON.stringify([query.words.map(function (w) { return w.text; }), query.sort]
      .concat(FILTERS.map(function (f) { return query[f]; })));
  }

  function remember(query) {
    try {
      var url = new URL(window.location.href);
      ["q"].concat(FILTERS, ["sort"]).forEach(function (name) {
        var value = query[name];
        if (value && value.trim()) {
          url.searchParams.set(name, value);
        } else {
          url.searchParams.delete(name);
        }
      });
      window.history.replaceState(null, "", url.href);
    } catch (e) {
      /* Some browsers refuse to change the address of file:// pages; search still works. */
    }
  }

  function search(now) {
    window.clearTimeout(timer);
    var go = function () {
      var query = current();
      var key = keyOf(query);
      remember(query);
      if (key === lastKey) {
        return;
      }
      lastKey = key;
      run(query);
    };
    if (now) {
      go();
    } else {
      timer = window.setTimeout(go, DEBOUNCE_MS);
    }
  }

  function filtered(query) {
    return FILTERS.some(function (f) { return query[f]; });
  }

  function run(query) {
    var mine = ++generation;
    words = query.words;
    if (words.length === 0 && !filtered(query)) {
      results = [];
      list.textContent = "";
      shown = 0;
      if (more) {
        more.hidden = true;
      }
      status.textContent = query.q.trim() ? "Type a word to search." : "";
      return;
    }
    status.textContent = "Searching…";
    find(query).then(function (found) {
      if (mine !== generation) {
        return null;
      }
      results = found;
      list.textContent = "";
      shown = 0;
      return showMore(false, mine).then(function () {
        if (mine === generation) {
          announce(query);
          measured();
        }
      });
    }).catch(failed);
  }

  function failed() {
    status.textContent = "The search index could not be loaded. Every entry is also on the timeline.";
  }

  function announce(query) {
    var what = query.q.trim() ? "“" + query.q.trim() + "”" : "";
    if (filtered(query)) {
      what += (what ? " with " : "") + "the filters chosen";
    }
    if (results.length === 0) {
      status.textContent = "No entries match " + what + ".";
    } else if (results.length === 1) {
      status.textContent = "1 entry matches " + what + ".";
    } else {
      status.textContent = results.length.toLocaleString("en") + " entries match " + what +
        (results.length > shown ? "; showing the first " + shown + "." : ".");
    }
  }

  /* For measuring (docs/search.md): when the first results were shown, and the bytes of
   * every file the page loaded by then. */
  function measured() {
    if (list.hasAttribute("data-shown-ms") || !window.performance ||
        !performance.getEntriesByType) {
      return;
    }
    var bytes = 0;
    performance.getEntriesByType("navigation").concat(performance.getEntriesByType("resource"))
      .forEach(function (e) { bytes += e.transferSize || e.encodedBodySize || 0; });
    list.setAttribute("data-shown-ms", String(Math.round(performance.now())));
    list.setAttribute("data-bytes", String(bytes));
  }

  function showMore(focus, mine) {
    var start = shown;
    var ids = results.slice(start, start + PAGE);
    return Promise.all(ids.map(function (id) {
      var n = Math.floor(id / manifest.perFile);
      return load("d" + n, "d/" + n + ".js").then(function (list) {
        return list[id % manifest.perFile];
      });
    })).then(function (docs) {
      if (mine !== generation) {
        return;
      }
      var fragment = document.createDocumentFragment();
      docs.forEach(function (doc) { fragment.appendChild(item(doc)); });
      list.appendChild(fragment);
      shown = start + docs.length;
      if (more) {
        more.hidden = shown >= results.length;
      }
      if (focus && list.children[start]) {
        list.children[start].querySelector("a").focus();
      }
    });
  }

  /* ---- Results ---- */

  function element(name, className, text) {
    var el = document.createElement(name);
    if (className) {
      el.className = className;
    }
    if (text) {
      el.textContent = text;
    }
    return el;
  }

  function displayDate(iso) {
    var parts = iso.split("-");
    return Number(parts[2]) + " " + MONTHS[Number(parts[1]) - 1] + " " + parts[0];
  }

  function item(doc) {
    var li = element("li", "card");
    var article = element("article");
    if (doc.g && doc.g !== document.documentElement.lang) {
      article.setAttribute("lang", doc.g);
    }
    var meta = element("p", "meta");
    var time = element("time", "", displayDate(doc.d));
    time.setAttribute("datetime", doc.d);
    meta.appendChild(time);
    meta.appendChild(document.createTextNode(" "));
    meta.appendChild(element("span", "badge", doc.k));
    if (doc.l) {
      meta.appendChild(document.createTextNode(" "));
      var place = element("span", "meta__place");
      highlight(place, doc.l);
      meta.appendChild(place);
    }
    if (doc.r) {
      meta.appendChild(document.createTextNode(" "));
      var reference = element("span", "meta__reference");
      highlight(reference, "Ref. " + doc.r);
      meta.appendChild(reference);
    }
    article.appendChild(meta);
    var heading = element("h2", "card__title");
    var link = element("a");
    link.href = href(doc.u);
    highlight(link, doc.t);
    heading.appendChild(link);
    article.appendChild(heading);
    var snippet = element("p", "card__summary");
    highlight(snippet, excerpt(doc));
    article.appendChild(snippet);
    if (doc.p.length > 0) {
      var partners = element("p", "card__partners");
      partners.appendChild(element("span", "label", "With"));
      partners.appendChild(document.createTextNode(" "));
      var names = element("span");
      highlight(names, doc.p.join(", "));
      partners.appendChild(names);
      article.appendChild(partners);
    }
    li.appendChild(article);
    return li;
  }

  /* The part of the entry's text around the first word that matched, or its summary. */
  function excerpt(doc) {
    var text = doc.x || "";
    var found = wordsOf(text).find(function (w) {
      var folded = fold(w.text);
      return words.some(function (word) { return matches(word, folded); });
    });
    if (!found || words.length === 0) {
      return doc.s;
    }
    var start = Math.max(0, found.at - 60);
    if (start > 0) {
      var space = text.indexOf(" ", start);
      start = space >= 0 && space < found.at ? space + 1 : found.at;
    }
    var end = Math.min(text.length, start + SNIPPET);
    if (end < text.length) {
      var last = text.lastIndexOf(" ", end);
      end = last > found.at ? last : end;
    }
    return (start > 0 ? "… " : "") + text.slice(start, end) + (end < text.length ? " …" : "");
  }

  /* Writes `text` into `parent`, wrapping the parts that matched the query in <mark>. */
  function highlight(parent, text) {
    var position = 0;
    wordsOf(text).forEach(function (w) {
      var folded = fold(w.text);
      var word = words.find(function (q) { return matches(q, folded); });
      if (!word || w.at < position) {
        return;
      }
      var length = folded.length === w.text.length ? word.text.length : w.text.length;
      if (w.at > position) {
        parent.appendChild(document.createTextNode(text.slice(position, w.at)));
      }
      parent.appendChild(element("mark", "", text.slice(w.at, w.at + length)));
      position = w.at + length;
    });
    if (position < text.length) {
      parent.appendChild(document.createTextNode(text.slice(position)));
    }
  }

  /* Entry URLs are site-relative (/engagements/x/). From a file:// copy they are made
   * relative to the site's root folder (the search page's parent) and point at index.html. */
  var basePath = form.getAttribute("data-base-path") || "/";
  var root = new URL("../", window.location.href);
  function href(url) {
    if (window.location.protocol !== "file:") {
      return url;
    }
    var path = url.indexOf(basePath) === 0 ? url.slice(basePath.length) : url.replace(/^\/+/, "");
    if (path === "" || path.charAt(path.length - 1) === "/") {
      path += "index.html";
    }
    return new URL(path, root).href;
  }

  function links() {
    return Array.prototype.slice.call(list.querySelectorAll(".card__title a"));
  }

  /* ---- Start ---- */

  function fill(select, facet) {
    if (!select) {
      return;
    }
    (manifest[facet] || []).forEach(function (value) {
      var option = element("option", "", value[1] + " (" + value[2].toLocaleString("en") + ")");
      option.value = value[0];
      select.appendChild(option);
    });
  }

  function start(m) {
    manifest = m;
    FILTERS.forEach(function (f) { fill(selects[f], FACETS[f]); });
    var params = new URLSearchParams(window.location.search);
    input.value = params.get("q") || "";
    FILTERS.concat(["sort"]).forEach(function (name) {
      var value = params.get(name);
      if (selects[name] && value) {
        selects[name].value = value;
      }
    });
    input.addEventListener("input", function () { search(false); });
    Object.keys(selects).forEach(function (name) {
      if (selects[name]) {
        selects[name].addEventListener("change", function () { search(true); });
      }
    });
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      search(true);
    });
    input.addEventListener("keydown", function (event) {
      if (event.key === "ArrowDown" && links().length > 0) {
        event.preventDefault();
        links()[0].focus();
      }
    });
    list.addEventListener("keydown", function (event) {
      var all = links();
      var at = all.indexOf(document.activeElement);
      if (at < 0) {
        return;
      }
      if (event.key === "ArrowDown" && at + 1 < all.length) {
        event.preventDefault();
        all[at + 1].focus();
      } else if (event.key === "ArrowUp") {
        event.preventDefault();
        (at > 0 ? all[at - 1] : input).focus();
      }
    });
    if (moreButton) {
      moreButton.addEventListener("click", function () {
        var mine = generation;
        showMore(true, mine).then(function () { announce(current()); }).catch(failed);
      });
    }
    status.textContent = "";
    search(true);
  }

  form.hidden = false;
  status.textContent = "Loading the search index…";
  load("m", "manifest.js").then(start).catch(failed);
})();
