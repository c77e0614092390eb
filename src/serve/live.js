// gazette serve: live reload. Injected only into pages that `gazette serve` answers with.
// Listens on the server's WebSocket: "reload" reloads the page, "error" shows the build's
// diagnostics over the page, "ok" hides them. Reconnects when the server goes away.
(function () {
  "use strict";
  var url = (location.protocol === "https:" ? "wss://" : "ws://") + location.host + "/__gazette/ws";
  var overlay = null;
  var connected = false;
  var delay = 500;

  // The overlay lives in a shadow root, so the page's styles (a theme's `pre`, say) cannot
  // reach it, and sets every colour itself, in a light and a dark version.
  var STYLE =
    ":host{all:initial !important;position:fixed !important;left:1rem !important;" +
    "right:1rem !important;bottom:1rem !important;z-index:2147483647 !important;display:block !important;}" +
    ".panel{max-height:60vh;overflow:auto;margin:0;padding:1rem 1.25rem;border-radius:6px;" +
    "background:#ffffff;color:#1b1f23;border:1px solid #d0d7de;border-left:6px solid #c62828;" +
    "box-shadow:0 4px 24px rgba(0,0,0,.25);font:13px/1.45 ui-monospace,Menlo,Consolas,monospace;" +
    "text-align:left;direction:ltr;}" +
    "strong{display:block;font-weight:700;padding-right:2rem;color:#8b1a1a;}" +
    "pre{white-space:pre;overflow-x:auto;margin:.75rem 0 0;padding:0;font:inherit;" +
    "color:inherit;background:transparent;border:0;}" +
    "button{float:right;margin:-.25rem -.25rem 0 0;padding:0 .4rem;background:transparent;" +
    "border:0;color:inherit;font:20px/1 system-ui,sans-serif;cursor:pointer;}" +
    "button:focus-visible{outline:3px solid #ffbf47;}" +
    "@media (prefers-color-scheme: dark){.panel{background:#1e1e1e;color:#f3f3f3;" +
    "border-color:#444c56;border-left-color:#e5484d;box-shadow:0 4px 24px rgba(0,0,0,.6);}" +
    "strong{color:#ffb4b4;}}";

  function show(text, lastGood) {
    if (!overlay) {
      overlay = document.createElement("gazette-error-overlay");
      var root = overlay.attachShadow({ mode: "open" });
      var style = document.createElement("style");
      style.textContent = STYLE;
      var panel = document.createElement("div");
      panel.className = "panel";
      panel.setAttribute("role", "alert");
      var close = document.createElement("button");
      close.type = "button";
      close.textContent = "\u00d7";
      close.setAttribute("aria-label", "Hide");
      close.onclick = hide;
      panel.appendChild(close);
      panel.appendChild(document.createElement("strong"));
      // Lines as the terminal shows them, carets under their column: a long one scrolls
      // sideways (reachable by keyboard) rather than wrapping.
      var pre = document.createElement("pre");
      pre.tabIndex = 0;
      panel.appendChild(pre);
      root.appendChild(style);
      root.appendChild(panel);
      (document.body || document.documentElement).appendChild(overlay);
    }
    var root = overlay.shadowRoot;
    root.querySelector("strong").textContent = lastGood
      ? "gazette: the last change could not be built. What you see is the last good version."
      : "gazette: the site could not be built, and no build has succeeded yet: there is no site to show. Fix these errors and the page reloads.";
    // textContent, never innerHTML: the diagnostics are shown as text.
    root.querySelector("pre").textContent = text;
  }

  function hide() {
    if (overlay) {
      overlay.remove();
      overlay = null;
    }
  }

  function connect() {
    var socket = new WebSocket(url);
    socket.onopen = function () {
      // Back after the server went away: the site may have changed meanwhile.
      if (connected) location.reload();
      connected = true;
      delay = 500;
    };
    socket.onmessage = function (event) {
      var message;
      try {
        message = JSON.parse(event.data);
      } catch (e) {
        return;
      }
      if (message.type === "reload") {
        hide();
        location.reload();
      } else if (message.type === "error") {
        show(message.text, message.last_good !== false);
      } else if (message.type === "ok") {
        hide();
      }
    };
    socket.onclose = function () {
      setTimeout(connect, delay);
      delay = Math.min(delay * 2, 5000);
    };
  }

  connect();
})();
