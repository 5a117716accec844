// A click or tap on a figure opens it at full size (the image's own pixels) in a dialog that scrolls;
// Escape, the Close button or a click on the backdrop closes it. Without JavaScript the figure's link
// opens the PNG itself.
(function () {
  "use strict";
  function open(src, alt) {
    var dialog = document.createElement("dialog");
    dialog.className = "lc-zoom-dialog";
    dialog.setAttribute("aria-label", "Figure at full size");
    var scroll = document.createElement("div");
    scroll.className = "lc-zoom-scroll";
    var img = document.createElement("img");
    img.src = src;
    img.alt = alt || "";
    var close = document.createElement("button");
    close.type = "button";
    close.textContent = "Close";
    close.addEventListener("click", function () { dialog.close(); });
    scroll.appendChild(img);
    dialog.appendChild(close);
    dialog.appendChild(scroll);
    dialog.addEventListener("close", function () { dialog.remove(); });
    dialog.addEventListener("click", function (event) {
      if (event.target === dialog || event.target === scroll) dialog.close();
    });
    document.body.appendChild(dialog);
    dialog.showModal();
    close.focus();
  }
  document.addEventListener("click", function (event) {
    var target = event.target;
    if (!(target instanceof HTMLImageElement)) return;
    var link = target.closest("a.lc-zoom");
    if (!link && !target.closest(".lc-explorer")) return;
    event.preventDefault();
    open(target.currentSrc || target.src, target.alt);
  });
})();
