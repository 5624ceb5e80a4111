// Progressive enhancements shared by every page. Without JavaScript every page still works.
(function () {
  "use strict";
  document.documentElement.classList.add("js");
  var basePath = document.body.getAttribute("data-base-path") || "/";

  // The header search box goes to the search page (form submission itself is not allowed
  // by the Content-Security-Policy).
  document.querySelectorAll("form.site-search").forEach(function (form) {
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      var q = form.querySelector("input[name=q]").value.trim();
      window.location.href = basePath + "search/" + (q ? "?q=" + encodeURIComponent(q) : "");
    });
  });

  // Printing: the page's absolute address in the footer (pages carry it when the site has
  // an absolute base_url), and every
  // collapsed section (BibTeX) opened for the paper and closed again afterwards.
  document.querySelectorAll(".print-url").forEach(function (span) {
    if (!/^https?:/.test(span.textContent)) {
      span.textContent = window.location.origin + window.location.pathname;
    }
  });
  var openedForPrint = [];
  window.addEventListener("beforeprint", function () {
    document.querySelectorAll("details:not([open])").forEach(function (details) {
      details.open = true;
      openedForPrint.push(details);
    });
  });
  window.addEventListener("afterprint", function () {
    openedForPrint.forEach(function (details) { details.open = false; });
    openedForPrint = [];
  });

  // Citation previews: hovering, focusing or tapping a marker such as [1] shows the
  // formatted reference with its links. The preview stays while the pointer is on it or
  // focus is in it, and closes on Escape, on a tap elsewhere or when the pointer leaves.
  // A second tap on the same marker follows it to the (highlighted) reference.
  var tip = null, tipLink = null, hideTimer = null, lastPointer = "mouse";
  var openAtTap = null, quiet = false;
  function hidePreview() {
    clearTimeout(hideTimer);
    if (tip) { tip.remove(); tip = null; tipLink = null; }
  }
  function hideSoon() {
    clearTimeout(hideTimer);
    hideTimer = setTimeout(hidePreview, 300);
  }
  function place(link) {
    var box = link.getBoundingClientRect();
    var width = tip.offsetWidth;
    var left = Math.max(8, Math.min(box.left, window.innerWidth - width - 8));
    var below = box.bottom + 4;
    var top = below + tip.offsetHeight > window.innerHeight ? box.top - tip.offsetHeight - 4 : below;
    tip.style.left = left + "px";
    tip.style.top = Math.max(8, top) + "px";
  }
  function showPreview(link) {
    clearTimeout(hideTimer);
    if (tipLink === link) { return; }
    hidePreview();
    var item = document.getElementById(link.getAttribute("href").slice(1));
    var text = item && item.querySelector(".reference-text");
    if (!text) { return; }
    tip = document.createElement("span");
    tip.className = "cite-preview";
    tip.setAttribute("role", "group");
    tip.setAttribute("aria-label", "Reference " + item.getAttribute("value"));
    var body = document.createElement("span");
    body.className = "cite-preview-text";
    body.innerHTML = text.innerHTML;
    tip.appendChild(body);
    var ids = item.querySelector(".reference-ids");
    var links = document.createElement("span");
    links.className = "cite-preview-links";
    if (ids) { links.innerHTML = ids.innerHTML + " · "; }
    var jump = document.createElement("a");
    jump.href = link.getAttribute("href");
    jump.textContent = "Go to reference " + item.getAttribute("value");
    jump.addEventListener("click", function () { setTimeout(hidePreview, 0); });
    links.appendChild(jump);
    tip.appendChild(links);
    tip.addEventListener("mouseenter", function () { clearTimeout(hideTimer); });
    tip.addEventListener("mouseleave", hideSoon);
    tip.addEventListener("focusout", leaveFocus);
    link.insertAdjacentElement("afterend", tip);
    tipLink = link;
    place(link);
  }
  function leaveFocus(event) {
    var to = event.relatedTarget;
    if (tip && to && (tip.contains(to) || to === tipLink)) { return; }
    if (lastPointer === "mouse" || !to) { hideSoon(); } else { hidePreview(); }
  }
  document.addEventListener("pointerdown", function (event) {
    lastPointer = event.pointerType || "mouse";
    openAtTap = tipLink;
    if (tip && !tip.contains(event.target) && event.target !== tipLink) { hidePreview(); }
  }, true);
  document.querySelectorAll("a.cite-ref").forEach(function (link) {
    link.addEventListener("mouseenter", function () {
      if (lastPointer === "mouse") { showPreview(link); }
    });
    link.addEventListener("mouseleave", hideSoon);
    link.addEventListener("focus", function () { if (!quiet) { showPreview(link); } });
    link.addEventListener("blur", leaveFocus);
    link.addEventListener("click", function (event) {
      if (lastPointer !== "mouse" && openAtTap !== link) {
        event.preventDefault(); // the first tap previews; a second one follows the link
        showPreview(link);
      }
    });
  });
  document.addEventListener("keydown", function (event) {
    if (event.key !== "Escape" || !tip) { return; }
    var link = tipLink, inside = tip.contains(document.activeElement);
    hidePreview();
    if (inside) { quiet = true; link.focus(); quiet = false; }
  });
  window.addEventListener("scroll", function () {
    if (tip && tipLink) { place(tipLink); }
  }, { passive: true });

  // "Copy citation" buttons.
  document.querySelectorAll("button[data-copy]").forEach(function (button) {
    button.addEventListener("click", function () {
      var text = document.getElementById(button.getAttribute("data-copy")).textContent;
      navigator.clipboard.writeText(text).then(function () {
        button.textContent = "Copied";
      }, function () {
        button.textContent = "Select the text to copy it";
      });
    });
  });
})();
