(function () {
  "use strict";
  var body = document.body;
  var tip = document.getElementById("tip");
  var marks = Array.prototype.slice.call(document.querySelectorAll("#article-text mark.hl"));
  var toolbar = document.getElementById("filters");
  if (toolbar) { toolbar.hidden = false; }

  // The tooltip: filled from the highlight's note (the same text screen readers get through
  // aria-describedby), shown on hover and on keyboard focus, hidden with Escape.
  function show(mark) {
    if (mark.classList.contains("off")) { return; }
    var note = document.getElementById(mark.getAttribute("aria-describedby"));
    if (!note) { return; }
    tip.innerHTML = note.innerHTML;
    tip.hidden = false;
    // Below the highlight's last line, starting where that line of it starts.
    var rects = mark.getClientRects();
    var r = rects.length ? rects[rects.length - 1] : mark.getBoundingClientRect();
    var top = window.scrollY + r.bottom + 8;
    var left = Math.max(8, Math.min(window.scrollX + r.left, window.scrollX + document.documentElement.clientWidth - tip.offsetWidth - 8));
    tip.style.top = top + "px";
    tip.style.left = left + "px";
  }
  function hide() { tip.hidden = true; }
  marks.forEach(function (m) {
    // The title attribute is the tooltip when scripts do not run; with them, this one replaces it.
    m.removeAttribute("title");
    m.addEventListener("mouseleave", hide);
    m.addEventListener("focus", function () { show(m); });
    m.addEventListener("blur", hide);
    m.addEventListener("mouseover", function (e) { e.stopPropagation(); show(m); });
  });
  document.addEventListener("keydown", function (e) { if (e.key === "Escape") { hide(); } });

  // Gutter marks of sentences likely persuasive: their label as the tooltip.
  var article = document.getElementById("article-text");
  var pmarks = Array.prototype.slice.call(document.querySelectorAll("#article-text .pmark"));
  function showLabel(el) {
    tip.textContent = el.getAttribute("aria-label");
    tip.hidden = false;
    var r = el.getBoundingClientRect();
    tip.style.top = (window.scrollY + r.bottom + 8) + "px";
    tip.style.left = Math.max(8, window.scrollX + r.left) + "px";
  }
  pmarks.forEach(function (m) {
    m.removeAttribute("title");
    m.addEventListener("mouseleave", hide);
    m.addEventListener("focus", function () { showLabel(m); });
    m.addEventListener("blur", hide);
    m.addEventListener("mouseover", function (e) { e.stopPropagation(); showLabel(m); });
  });
  var showPs = document.getElementById("show-ps");
  function applyPs() {
    var on = !showPs || showPs.checked;
    if (article) { article.classList.toggle("no-ps", !on); }
    pmarks.forEach(function (m) { m.tabIndex = on ? 0 : -1; });
    hide();
  }
  if (showPs) { showPs.addEventListener("change", applyPs); }
  applyPs();

  // Filters: technique check boxes, weak techniques, lowest confidence.
  var boxes = Array.prototype.slice.call(document.querySelectorAll("input[data-t]"));
  var weak = document.getElementById("show-weak");
  var conf = document.getElementById("min-conf");
  var confOut = document.getElementById("min-conf-out");
  function apply() {
    var shown = {};
    boxes.forEach(function (b) { shown[b.getAttribute("data-t")] = b.checked; });
    var min = conf ? parseFloat(conf.value) : 0;
    if (confOut) { confOut.textContent = Math.round(min * 100) + "%"; }
    function off(el) {
      return !shown[el.getAttribute("data-t")] ||
        (weak && !weak.checked && el.classList.contains("weak")) ||
        parseFloat(el.getAttribute("data-conf")) < min;
    }
    marks.forEach(function (m) {
      var o = off(m);
      m.classList.toggle("off", o);
      if (m.hasAttribute("data-first")) { m.tabIndex = o ? -1 : 0; }
    });
    Array.prototype.forEach.call(document.querySelectorAll(".hl-notes li"), function (li) {
      li.classList.toggle("off", off(li));
    });
    hide();
  }
  boxes.forEach(function (b) { b.addEventListener("change", apply); });
  if (weak) { weak.addEventListener("change", apply); }
  if (conf) { conf.addEventListener("input", apply); }
  function setAll(v) { boxes.forEach(function (b) { b.checked = v; }); apply(); }
  var all = document.getElementById("filter-all");
  var none = document.getElementById("filter-none");
  if (all) { all.addEventListener("click", function () { setAll(true); }); }
  if (none) { none.addEventListener("click", function () { setAll(false); }); }
  apply();
})();
