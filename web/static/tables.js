// On a narrow screen a table is shown as stacked rows (registry.css); each cell then needs
// the name of its column, which this copies from the table's header where a page left it out.
document.querySelectorAll("table").forEach(function (table) {
  var names = [];
  table.querySelectorAll("thead tr:first-child th").forEach(function (th) {
    for (var i = 0; i < (th.colSpan || 1); i++) names.push(th.textContent.trim());
  });
  if (!names.length) return;
  table.classList.add("stacked");
  table.querySelectorAll("tbody tr").forEach(function (row) {
    var column = 0;
    Array.prototype.forEach.call(row.cells, function (cell) {
      if (!cell.hasAttribute("data-label") && names[column]) {
        cell.setAttribute("data-label", names[column]);
      }
      column += cell.colSpan || 1;
    });
  });
});
