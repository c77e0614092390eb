/* gazette default theme: search as you type on /search/.
 *
 * Reads the search index from window.gazetteSearchIndex, set by search-index.js (loaded
 * before this script; a <script src> works from a file:// copy, where fetch does not), or
 * fetches search-index.json from the form's data-index-url when that script is missing.
 * Matching, for every word of the query (lowercased, accents folded, split on anything that
 * is not a letter, mark or digit):
 *   - a word in Latin script must be the start of some word of the entry's title, partners
 *     (with each registered partner's id and aliases, from the index's `partners`: "NCMEC"
 *     finds every entry naming the National Center for Missing & Exploited Children), topics,
 *     place, summary or reference number ("washing" finds "Washington", "0415" finds
 *     "MFA 0415/2565");
 *   - a word containing Thai or any other non-Latin script may appear anywhere in that text
 *     (Thai is written without spaces between words).
 * Entries whose title matches every word come first; within each group, newest first.
 * The query is kept in the address (?q=...), so a search can be linked to and reloaded.
 * No dependencies, no network access beyond the optional index fetch.
 */
(function () {
  "use strict";

  var form = document.querySelector(".search__form");
  if (!form || !("normalize" in String.prototype)) {
    return;
  }
  var input = form.querySelector("input[name=q]");
  var status = document.getElementById("search-status");
  var list = document.getElementById("search-results");
  var more = document.querySelector(".search__more");
  var moreButton = more && more.querySelector("button");

  var PAGE = 50;
  var DEBOUNCE_MS = 150;
  var MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August",
    "September", "October", "November", "December"];
  var SPLIT = /[^\p{L}\p{M}\p{N}]+/u;
  var WORD = /[\p{L}\p{M}\p{N}]+/gu;
  var NON_LATIN = /[^\p{Script=Latin}\p{N}\p{M}]/u;

  var entries = null;
  var otherNames = {};
  var results = [];
  var terms = [];
  var shown = 0;
  var lastQuery = null;
  var timer = 0;

  /* Lowercase, compatibility-decomposed, without the accents of Latin letters. */
  function fold(text) {
    return text.normalize("NFKD").replace(/[\u0300-\u036f]/g, "").toLowerCase();
  }

  function words(folded) {
    return folded.split(SPLIT).filter(Boolean);
  }

  function prepare(entry) {
    var fields = [entry.title].concat(entry.partners, entry.topics,
      [entry.location || "", entry.summary || "", entry.reference || ""]);
    entry.partners.forEach(function (name) {
      if (Object.prototype.hasOwnProperty.call(otherNames, name)) {
        fields = fields.concat(otherNames[name]);
      }
    });
    var title = fold(entry.title);
    var all = fold(fields.join("\n"));
    return {
      entry: entry,
      titleText: title,
      titleWords: " " + words(title).join(" "),
      allText: all,
      allWords: " " + words(all).join(" ")
    };
  }

  /* The query's distinct words, each {text, substring}. */
  function parse(query) {
    var seen = {};
    return words(fold(query)).filter(function (w) {
      if (seen[w]) {
        return false;
      }
      seen[w] = true;
      return true;
    }).map(function (w) {
      return { text: w, substring: NON_LATIN.test(w) };
    });
  }

  function matches(term, text, wordList) {
    return term.substring ? text.indexOf(term.text) >= 0 : wordList.indexOf(" " + term.text) >= 0;
  }

  function run(query) {
    terms = parse(query);
    var inTitle = [];
    var elsewhere = [];
    if (terms.length > 0) {
      entries.forEach(function (e) {
        var all = terms.every(function (t) { return matches(t, e.allText, e.allWords); });
        if (!all) {
          return;
        }
        var title = terms.every(function (t) { return matches(t, e.titleText, e.titleWords); });
        (title ? inTitle : elsewhere).push(e.entry);
      });
    }
    results = inTitle.concat(elsewhere);
    list.textContent = "";
    shown = 0;
    showMore(false);
    announce(query);
  }

  function announce(query) {
    if (terms.length === 0) {
      status.textContent = query.trim() ? "Type a word to search." : "";
      return;
    }
    var quoted = "“" + query.trim() + "”";
    if (results.length === 0) {
      status.textContent = "No entries match " + quoted + ".";
    } else if (results.length === 1) {
      status.textContent = "1 entry matches " + quoted + ".";
    } else {
      status.textContent = results.length.toLocaleString("en") + " entries match " + quoted +
        (results.length > shown ? "; showing the first " + shown + "." : ".");
    }
  }

  function showMore(focus) {
    var start = shown;
    var end = Math.min(results.length, shown + PAGE);
    var fragment = document.createDocumentFragment();
    for (var i = start; i < end; i++) {
      fragment.appendChild(item(results[i]));
    }
    list.appendChild(fragment);
    shown = end;
    if (more) {
      more.hidden = shown >= results.length;
    }
    if (focus && list.children[start]) {
      list.children[start].querySelector("a").focus();
    }
  }

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

  function item(entry) {
    var li = element("li", "card");
    var article = element("article");
    var meta = element("p", "meta");
    var time = element("time", "", displayDate(entry.date));
    time.setAttribute("datetime", entry.date);
    meta.appendChild(time);
    meta.appendChild(document.createTextNode(" "));
    meta.appendChild(element("span", "badge", entry.kind));
    if (entry.location) {
      meta.appendChild(document.createTextNode(" "));
      meta.appendChild(element("span", "meta__place", entry.location));
    }
    if (entry.reference) {
      meta.appendChild(document.createTextNode(" "));
      var reference = element("span", "meta__reference");
      highlight(reference, "Ref. " + entry.reference);
      meta.appendChild(reference);
    }
    article.appendChild(meta);
    var heading = element("h2", "card__title");
    var link = element("a");
    link.href = href(entry.url);
    highlight(link, entry.title);
    heading.appendChild(link);
    article.appendChild(heading);
    if (entry.summary) {
      article.appendChild(element("p", "card__summary", entry.summary));
    }
    if (entry.partners.length > 0) {
      var partners = element("p", "card__partners");
      partners.appendChild(element("span", "label", "With"));
      partners.appendChild(document.createTextNode(" " + entry.partners.join(", ")));
      article.appendChild(partners);
    }
    li.appendChild(article);
    return li;
  }

  /* Writes `text` into `parent`, wrapping the parts that matched the query in <mark>. */
  function highlight(parent, text) {
    var ranges = [];
    var match;
    WORD.lastIndex = 0;
    while ((match = WORD.exec(text)) !== null) {
      var word = match[0];
      var folded = fold(word);
      terms.forEach(function (t) {
        if (!t.substring && folded.indexOf(t.text) === 0) {
          var length = folded.length === word.length ? t.text.length : word.length;
          ranges.push([match.index, match.index + length]);
        }
      });
    }
    var foldedText = fold(text);
    if (foldedText.length === text.length) {
      terms.forEach(function (t) {
        if (!t.substring) {
          return;
        }
        for (var at = foldedText.indexOf(t.text); at >= 0; at = foldedText.indexOf(t.text, at + 1)) {
          ranges.push([at, at + t.text.length]);
        }
      });
    }
    ranges.sort(function (a, b) { return a[0] - b[0]; });
    var position = 0;
    ranges.forEach(function (r) {
      var start = Math.max(r[0], position);
      if (r[1] <= start) {
        return;
      }
      if (start > position) {
        parent.appendChild(document.createTextNode(text.slice(position, start)));
      }
      parent.appendChild(element("mark", "", text.slice(start, r[1])));
      position = r[1];
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

  function remember(query) {
    try {
      var url = new URL(window.location.href);
      if (query.trim()) {
        url.searchParams.set("q", query);
      } else {
        url.searchParams.delete("q");
      }
      window.history.replaceState(null, "", url.href);
    } catch (e) {
      /* Some browsers refuse to change the address of file:// pages; search still works. */
    }
  }

  function search(now) {
    window.clearTimeout(timer);
    var query = input.value;
    var go = function () {
      if (query === lastQuery) {
        return;
      }
      lastQuery = query;
      run(query);
      remember(query);
    };
    if (now) {
      go();
    } else {
      timer = window.setTimeout(go, DEBOUNCE_MS);
    }
  }

  function links() {
    return Array.prototype.slice.call(list.querySelectorAll(".card__title a"));
  }

  function start(index) {
    otherNames = index.partners || {};
    entries = (index.entries || []).map(prepare);
    input.addEventListener("input", function () { search(false); });
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
        showMore(true);
        announce(input.value);
      });
    }
    var query = new URLSearchParams(window.location.search).get("q");
    if (query) {
      input.value = query;
    }
    status.textContent = "";
    search(true);
  }

  form.hidden = false;
  if (window.gazetteSearchIndex && window.gazetteSearchIndex.entries) {
    start(window.gazetteSearchIndex);
    return;
  }
  status.textContent = "Loading the search index…";
  window.fetch(form.getAttribute("data-index-url"))
    .then(function (response) {
      if (!response.ok) {
        throw new Error(response.status + " " + response.statusText);
      }
      return response.json();
    })
    .then(start)
    .catch(function () {
      status.textContent = "The search index could not be loaded. Every entry is also on the timeline.";
    });
})();
