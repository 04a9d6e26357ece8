/* Semaforo banner: the avvisi in force, on another website.
   <div id="semaforo-banner"></div>
   <script async src="(address of the status page)/embed/banner.js" data-servizi="anagrafe,stato-civile"></script>
   It runs after the host page (async), writes nothing when there is no avviso or when Semaforo
   cannot be reached, sends no cookies and calls no other site. Its styles live in a shadow root,
   so they neither leak into the host page nor take its styles. */
(function () {
  "use strict";
  var T = /*STRINGS*/{};
  var script = document.currentScript;
  if (!script || !window.fetch || !window.URL || !Element.prototype.attachShadow) return;
  var origin = new URL(script.src, document.baseURI).origin;
  var chosen = (script.getAttribute("data-servizi") || "").replace(/\s+/g, "");
  var url = origin + T.api + (chosen ? "?servizi=" + encodeURIComponent(chosen) : "");
  var abort = window.AbortController ? new AbortController() : null;
  var timer = abort ? setTimeout(function () { abort.abort(); }, 8000) : 0;
  fetch(url, { credentials: "omit", mode: "cors", signal: abort ? abort.signal : undefined })
    .then(function (r) { return r.ok ? r.json() : null; })
    .then(function (data) { if (data && data.notices && data.notices.length) show(data); })
    .catch(function () { /* unreachable or refused: the host page stays as it is */ })
    .then(function () { clearTimeout(timer); });

  function add(parent, tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text) e.textContent = text;
    parent.appendChild(e);
    return e;
  }

  function link(u) {
    return /^https?:\/\//.test(u) ? u : origin + "/";
  }

  function show(data) {
    var host = document.getElementById(script.getAttribute("data-contenitore") || "semaforo-banner");
    if (!host) {
      host = document.createElement("div");
      if (script.parentNode && script.parentNode !== document.head) script.parentNode.insertBefore(host, script.nextSibling);
      else document.body.insertBefore(host, document.body.firstChild);
    }
    var root = host.attachShadow({ mode: "open" });
    add(root, "style", "", T.css);
    var box = add(root, "section", "sf" + worst(data.notices));
    box.setAttribute("lang", T.lang);
    box.setAttribute("aria-label", T.region);
    add(box, "h2", "sf-heading", T.heading);
    var list = add(box, "ul", "sf-list");
    data.notices.slice(0, T.max).forEach(function (n) {
      var item = add(list, "li", "sf-item");
      add(item, "span", "sf-kind", n.kind_label);
      var a = add(item, "a", "sf-title", n.title);
      a.href = link(n.url);
      if (n.summary) add(item, "p", "sf-summary", n.summary);
    });
    var more = add(add(box, "p", "sf-footer"), "a", "sf-more", T.more);
    more.href = link(data.page.url + "/");
  }

  /* the worst state of the services the avvisi name colours the edge; none: the plain blue edge */
  function worst(notices) {
    var order = ["operational", "degraded", "alternative", "limited", "maintenance", "suspended"], w = 0;
    notices.forEach(function (n) {
      n.services.forEach(function (s) { w = Math.max(w, order.indexOf(s.state.key)); });
    });
    return w > 0 ? " edge-" + order[w] : "";
  }
})();
