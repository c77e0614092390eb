// gazette serve: live reload. Injected only into pages that `gazette serve` answers with.
// Listens on the server's WebSocket: "reload" reloads the page, "error" shows the build's
// diagnostics over the page, "ok" hides them. Reconnects when the server goes away.
(function () {
  "use strict";
  var url = (location.protocol === "https:" ? "wss://" : "ws://") + location.host + "/__gazette/ws";
  var overlay = null;
  var connected = false;
  var delay = 500;

  function show(text) {
    if (!overlay) {
      overlay = document.createElement("div");
      overlay.id = "gazette-error-overlay";
      overlay.setAttribute("role", "alert");
      overlay.style.cssText =
        "position:fixed;left:1rem;right:1rem;bottom:1rem;max-height:60vh;overflow:auto;" +
        "z-index:2147483647;margin:0;padding:1rem 1.25rem;border-radius:6px;" +
        "background:#1e1e1e;color:#f3f3f3;border-left:6px solid #e5484d;" +
        "box-shadow:0 4px 24px rgba(0,0,0,.4);font:13px/1.45 ui-monospace,Menlo,Consolas,monospace;";
      var close = document.createElement("button");
      close.type = "button";
      close.textContent = "\u00d7";
      close.setAttribute("aria-label", "Hide");
      close.style.cssText =
        "float:right;background:none;border:0;color:inherit;font-size:20px;cursor:pointer;";
      close.onclick = hide;
      var title = document.createElement("strong");
      title.textContent = "gazette: the last change could not be built; this is the last good version.";
      var pre = document.createElement("pre");
      pre.style.cssText = "white-space:pre-wrap;margin:.75rem 0 0;font:inherit;";
      overlay.appendChild(close);
      overlay.appendChild(title);
      overlay.appendChild(pre);
      (document.body || document.documentElement).appendChild(overlay);
    }
    // textContent, never innerHTML: the diagnostics are shown as text.
    overlay.querySelector("pre").textContent = text;
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
        show(message.text);
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
