// Pickers (partials/pickers.html), with JavaScript: a ticked search result joins the chosen
// list, so the next search (htmx replaces the results as one types) does not drop it, and
// the box empties so saving does not read the words again; Enter in the box searches (or,
// with one result, takes it) instead of saving the form. Without this file the form works
// the same through its "Find" button and the server reading the box on save.
(function () {
  function pickerOf(el) { return el.closest ? el.closest("[data-picker]") : null; }

  function take(input) {
    var picker = pickerOf(input);
    if (!picker) return;
    var chosen = picker.querySelector(".picker-chosen");
    var item = input.closest("li");
    if (input.type === "radio") {
      chosen.querySelectorAll("li").forEach(function (li) {
        var other = li.querySelector("input");
        if (other && other.value) li.remove();
      });
    } else {
      var same = Array.prototype.filter.call(
        chosen.querySelectorAll("input"), function (i) { return i.value === input.value; });
      if (same.length) { same[0].checked = true; item.remove(); return; }
    }
    var none = chosen.querySelector("input[value='']");  // "None" stays last
    chosen.insertBefore(item, none ? none.closest("li") : null);
    var box = picker.querySelector("input[type=search]");
    if (box) box.value = "";
  }

  document.addEventListener("change", function (event) {
    var input = event.target;
    if (input.matches && input.matches(".picker-options input") && input.checked) take(input);
  });

  document.addEventListener("keydown", function (event) {
    var box = event.target;
    if (event.key !== "Enter" || !box.matches || !box.matches("[data-picker] input[type=search]")) return;
    event.preventDefault();
    var options = pickerOf(box).querySelectorAll(".picker-options input");
    if (options.length === 1) {
      options[0].checked = true;
      take(options[0]);
    } else if (window.htmx) {
      window.htmx.trigger(box, "search");
    }
  });
})();
