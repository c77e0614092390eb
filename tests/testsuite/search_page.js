// Runs the theme's search.js against a stub of the search page and prints the URLs found.
// Usage: node harness.js <site output folder> <query>
"use strict";
const fs = require("fs");
const path = require("path");
const vm = require("vm");
const [out, query] = process.argv.slice(2);

function node(tag) {
  return {
    tagName: tag, children: [], attributes: {}, className: "", hidden: false, href: "",
    _text: "", listeners: {},
    set textContent(v) { this._text = v; this.children = []; },
    get textContent() { return this._text + this.children.map((c) => c.textContent).join(""); },
    appendChild(child) {
      if (child.tagName === "#fragment") { this.children.push(...child.children); } else { this.children.push(child); }
      return child;
    },
    setAttribute(k, v) { this.attributes[k] = String(v); },
    getAttribute(k) { return k in this.attributes ? this.attributes[k] : null; },
    addEventListener(type, f) { this.listeners[type] = f; },
    querySelector(sel) { return this.querySelectorAll(sel)[0] || null; },
    querySelectorAll(sel) {
      const found = [];
      const walk = (n) => n.children.forEach((c) => {
        if (sel === "input[name=q]" ? c.tagName === "input" : sel.split(" ").pop() === c.tagName) { found.push(c); }
        walk(c);
      });
      walk(this);
      return found;
    },
    focus() {},
  };
}
const input = node("input");
input.value = "";
const form = node("form");
form.children.push(input);
form.setAttribute("data-index-url", "../search-index.json");
const status = node("p");
const list = node("ol");
const document = {
  querySelector: (sel) => (sel === ".search__form" ? form : null),
  getElementById: (id) => (id === "search-status" ? status : id === "search-results" ? list : null),
  createElement: node,
  createDocumentFragment: () => node("#fragment"),
  createTextNode: (t) => ({ tagName: "#text", children: [], textContent: t }),
  activeElement: null,
};
const location = new URL("https://example.org/search/?q=" + encodeURIComponent(query));
const window = {
  location, document,
  history: { replaceState() {} },
  setTimeout: (f) => { f(); return 1; },
  clearTimeout() {},
};
const context = vm.createContext({ window, document, URL, URLSearchParams, console });
vm.runInContext(fs.readFileSync(path.join(out, "search-index.js"), "utf8"), context);
vm.runInContext(fs.readFileSync(path.join(out, "search.js"), "utf8"), context);
const urls = [];
const collect = (n) => { if (n.tagName === "a") { urls.push(n.href); } (n.children || []).forEach(collect); };
collect(list);
console.log(JSON.stringify({ status: status.textContent, urls }));
