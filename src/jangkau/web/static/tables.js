// Tables that become cards on a phone (app.css, table.cards): every cell gets the name of its column as data-label
// (a cell that already has one keeps it). A table with fewer than three columns, or marked .no-cards, stays a table.
(function () {
  "use strict";
  function label(table) {
    var head = table.tHead && table.tHead.rows[table.tHead.rows.length - 1];
    if (!head || table.classList.contains("no-cards")) { return; }
    var names = [];
    Array.prototype.forEach.call(head.cells, function (cell) {
      for (var i = 0; i < (cell.colSpan || 1); i++) { names.push(cell.textContent.trim()); }
    });
    if (names.length < 3) { return; }
    Array.prototype.forEach.call(table.tBodies, function (body) {
      Array.prototype.forEach.call(body.rows, function (row) {
        var column = 0;
        Array.prototype.forEach.call(row.cells, function (cell) {
          // a cell across the whole row (an empty-list note) names no column
          var name = (cell.colSpan || 1) >= names.length ? "" : names[column] || "";
          if (!cell.hasAttribute("data-label")) { cell.setAttribute("data-label", name); }
          column += cell.colSpan || 1;
        });
      });
    });
    table.classList.add("cards");
  }
  function all() { Array.prototype.forEach.call(document.querySelectorAll("main table"), label); }
  function start() {
    document.documentElement.classList.add("tables-js");
    all();
    // rows a page script adds later (the task console, live progress) get their labels too
    var main = document.querySelector("main");
    if (main && window.MutationObserver) {
      var waiting = false;
      new MutationObserver(function () {
        if (waiting) { return; }
        waiting = true;
        window.requestAnimationFrame(function () { waiting = false; all(); });
      }).observe(main, { childList: true, subtree: true });
    }
  }
  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", start); } else { start(); }
})();
