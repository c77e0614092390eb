// Runs the theme's search.js against a stub of the search page, loading the index's files
// from the output folder as the browser would (a <script src> each), and prints what the page
// shows: its status line, the results' URLs and snippets, and the address it keeps.
// Usage: node harness.js <site output folder> <query string, "?q=...&partner=..."> [clicks]
// `clicks` is how many times to press "Show more results" once the first results show.
"use strict";
const fs = require("fs");
const path = require("path");
const vm = require("vm");
const [out, search, clicks] = process.argv.slice(2);

function node(tag) {
  return {
    tagName: tag, children: [], attributes: {}, className: "", hidden: false, href: "",
    value: "", _text: "", listeners: {}, parent: null,
    set textContent(v) { this._text = v; this.children = []; },
    get textContent() { return this._text + this.children.map((c) => c.textContent).join(""); },
    appendChild(child) {
      if (child.tagName === "#fragment") {
        child.children.forEach((c) => { c.parent = this; });
        this.children.push(...child.children);
      } else {
        child.parent = this;
        this.children.push(child);
      }
      if (child.tagName === "script") { loadScript(child); }
      return child;
    },
    remove() {
      if (this.parent) { this.parent.children = this.parent.children.filter((c) => c !== this); }
    },
    setAttribute(k, v) { this.attributes[k] = String(v); },
    getAttribute(k) { return k in this.attributes ? this.attributes[k] : null; },
    hasAttribute(k) { return k in this.attributes; },
    addEventListener(type, f) { this.listeners[type] = f; },
    querySelector(sel) { return this.querySelectorAll(sel)[0] || null; },
    querySelectorAll(sel) {
      const named = /^(\w+)\[name=(\w+)\]$/.exec(sel);
      const found = [];
      const walk = (n) => n.children.forEach((c) => {
        const hit = named ? c.tagName === named[1] && c.name === named[2]
          : sel.split(" ").pop() === c.tagName;
        if (hit) { found.push(c); }
        walk(c);
      });
      walk(this);
      return found;
    },
    focus() {},
  };
}

function field(tag, name) {
  const n = node(tag);
  n.name = name;
  if (tag === "select") {
    // A select's value is one of its options', the first when set to another.
    let chosen = "";
    Object.defineProperty(n, "value", {
      get() { return chosen; },
      set(v) { if (n.children.some((o) => o.value === v)) { chosen = v; } },
    });
    const any = node("option");
    any.value = "";
    n.children.push(any);
  }
  return n;
}

const form = node("form");
const input = field("input", "q");
form.children.push(input);
const selects = ["partner", "topic", "kind", "year", "language", "sort"].map((name) => {
  const select = field("select", name);
  form.children.push(select);
  return select;
});
const sortDate = node("option");
sortDate.value = "date";
selects[5].children.push(sortDate);
form.setAttribute("data-index", "index/manifest.js");
const status = node("p");
const list = node("ol");
const more = node("p");
const moreButton = node("button");
more.appendChild(moreButton);
const head = node("head");
const document = {
  head,
  documentElement: { lang: "en" },
  querySelector: (sel) => (sel === ".search__form" ? form : sel === ".search__more" ? more : null),
  getElementById: (id) => (id === "search-status" ? status : id === "search-results" ? list : null),
  createElement: node,
  createDocumentFragment: () => node("#fragment"),
  createTextNode: (t) => ({ tagName: "#text", children: [], textContent: t }),
  activeElement: null,
};
const origin = "https://example.org";
let address = new URL(origin + "/search/" + search);
const location = {
  get href() { return address.href; },
  get search() { return address.search; },
  protocol: "https:",
};
const loaded = [];
// The page's global object is its window, as in a browser: scripts call gazetteSearch.
const window = {
  location, document,
  history: { replaceState(_state, _title, url) { address = new URL(url); } },
  setTimeout: (f) => { f(); return 1; },
  clearTimeout() {},
  atob, URL, URLSearchParams, TextDecoder, console,
};
window.window = window;
const context = vm.createContext(window);

// Runs a script the page added, from the output folder, a moment later as a browser does.
function loadScript(script) {
  const url = new URL(script.src);
  const file = path.join(out, decodeURIComponent(url.pathname));
  setImmediate(() => {
    if (!fs.existsSync(file)) { script.listeners.error(); return; }
    const text = fs.readFileSync(file, "utf8");
    loaded.push({ path: url.pathname, bytes: Buffer.byteLength(text) });
    vm.runInContext(text, context);
    script.listeners.load();
  });
}

vm.runInContext(fs.readFileSync(path.join(out, "search.js"), "utf8"), context);

let pressed = 0;
let waited = 0;
function report() {
  if (/^(Loading|Searching)/.test(status.textContent) && waited++ < 500) {
    setTimeout(report, 10);
    return;
  }
  if (pressed < Number(clicks || 0) && !more.hidden && moreButton.listeners.click) {
    pressed += 1;
    moreButton.listeners.click();
    setTimeout(report, 20);
    return;
  }
  const results = list.children.map((li) => {
    const found = { url: null, snippet: null, marked: [] };
    const walk = (n) => {
      if (n.tagName === "a") { found.url = n.href; }
      if (n.tagName === "mark") { found.marked.push(n.textContent); }
      if (n.className === "card__summary") { found.snippet = n.textContent; }
      (n.children || []).forEach(walk);
    };
    walk(li);
    return found;
  });
  const options = {};
  selects.forEach((s) => { options[s.name] = s.children.map((o) => o.value).filter(Boolean); });
  console.log(JSON.stringify({
    status: status.textContent,
    results,
    address: address.pathname + address.search,
    form: Object.fromEntries([["q", input.value]].concat(selects.map((s) => [s.name, s.value]))),
    options,
    loaded,
  }));
}
// Once every script has run and every promise settled.
setTimeout(report, 50);
