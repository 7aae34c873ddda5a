/* cjm: sort tables by any column (tablesort, bundled beside): a table inside an element
   of class cjm-sortable (the table itself keeps no class, so Material styles it) or a
   table of that class.

   Filter the rows of a table inside an element of class cjm-filterable: its rows carry
   data-personas, data-tags, data-owner and data-state, each a JSON list of labels
   written at build time. A select per attribute, each with the labels of every row,
   goes above the table; a row shows when it has the label chosen in every select.
   The controls are made here, so without JavaScript the table is a plain table. */
(function () {
  var FILTERS = [
    ["personas", "Persona"],
    ["tags", "Tag"],
    ["owner", "Owner"],
    ["state", "State"]
  ];
  var made = 0; // numbers the controls' ids, unique on the page

  function labels(row, name) {
    try {
      return JSON.parse(row.getAttribute("data-" + name) || "[]");
    } catch (error) {
      return [];
    }
  }

  function select(rows, name, title) {
    var found = {};
    var unlabelled = false;
    rows.forEach(function (row) {
      var values = labels(row, name);
      unlabelled = unlabelled || values.length === 0;
      values.forEach(function (value) { found[value] = true; });
    });
    var values = Object.keys(found).sort(function (a, b) { return a.localeCompare(b); });
    if (values.length === 0 || (values.length === 1 && !unlabelled)) {
      return null; // nothing to choose between
    }
    var field = document.createElement("span");
    var label = document.createElement("label");
    var control = document.createElement("select");
    control.id = "cjm-filter-" + (++made);
    control.dataset.cjmFilter = name;
    label.htmlFor = control.id;
    label.textContent = title;
    [""].concat(values).forEach(function (value) {
      var option = document.createElement("option");
      option.value = value;
      option.textContent = value === "" ? "All" : value;
      control.appendChild(option);
    });
    field.appendChild(label);
    field.appendChild(control);
    return field;
  }

  function addFilters(region) {
    var table = region.querySelector("table");
    if (!table || !table.tBodies.length || region.dataset.cjmFiltered) {
      return;
    }
    region.dataset.cjmFiltered = "1";
    var rows = Array.prototype.slice.call(table.tBodies[0].rows);
    var bar = document.createElement("div");
    bar.className = "cjm-filters";
    bar.setAttribute("role", "group");
    bar.setAttribute("aria-label", "Filter the rows of " + (region.getAttribute("aria-label") || "the table"));
    FILTERS.forEach(function (filter) {
      var control = select(rows, filter[0], filter[1]);
      if (control) {
        bar.appendChild(control);
      }
    });
    if (!bar.children.length) {
      return;
    }
    var status = document.createElement("p");
    status.className = "cjm-filters__status";
    status.setAttribute("aria-live", "polite");
    bar.appendChild(status);
    var controls = Array.prototype.slice.call(bar.querySelectorAll("select"));
    function apply() {
      var shown = 0;
      rows.forEach(function (row) {
        var keep = controls.every(function (control) {
          return control.value === "" || labels(row, control.dataset.cjmFilter).indexOf(control.value) >= 0;
        });
        row.hidden = !keep;
        shown += keep ? 1 : 0;
      });
      status.textContent = "Showing " + shown + " of " + rows.length + " rows";
    }
    bar.addEventListener("change", apply);
    apply();
    region.parentNode.insertBefore(bar, region);
  }

  function enhanceTables() {
    document.querySelectorAll(".cjm-sortable table, table.cjm-sortable").forEach(function (table) {
      if (!table.dataset.cjmSorted) {
        table.dataset.cjmSorted = "1";
        new Tablesort(table);
      }
    });
    document.querySelectorAll(".cjm-filterable").forEach(addFilters);
  }

  if (typeof document$ !== "undefined") {
    document$.subscribe(enhanceTables); // Material: every page, instant navigation included
  } else if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", enhanceTables);
  } else {
    enhanceTables();
  }
})();
