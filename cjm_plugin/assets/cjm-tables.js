/* cjm: sort tables by any column (tablesort, bundled beside): a table inside an element
   of class cjm-sortable (the table itself keeps no class, so Material styles it) or a
   table of that class. */
(function () {
  function sortTables() {
    document.querySelectorAll(".cjm-sortable table, table.cjm-sortable").forEach(function (table) {
      if (!table.dataset.cjmSorted) {
        table.dataset.cjmSorted = "1";
        new Tablesort(table);
      }
    });
  }
  if (typeof document$ !== "undefined") {
    document$.subscribe(sortTables); // Material: every page, instant navigation included
  } else if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", sortTables);
  } else {
    sortTables();
  }
})();
