// Lists of boxes to tick (choice_list in partials/pickers.html), with JavaScript: a box above
// the list keeps only the entries whose name holds every word typed (accents and case aside;
// ticked entries always stay in view), Enter in it ticks the only match instead of saving the
// form, and the "Chosen:" line follows the ticks. Without this file the whole list is shown.
(function () {
  function fold(text) {
    return text.normalize("NFD").replace(/[\u0300-\u036f]/g, "").toLowerCase();
  }

  function summarise(list) {
    var names = Array.prototype.map.call(
      list.querySelectorAll(".choices-options input:checked"),
      function (input) { return input.closest("label").textContent.trim(); });
    list.querySelector(".choices-summary").textContent =
      names.length ? list.dataset.chosen + " " + names.join(", ") : list.dataset.none;
  }

  function filter(list, query) {
    var words = fold(query).split(/\s+/).filter(Boolean);
    var matched = 0;
    list.querySelectorAll(".choices-options li").forEach(function (item) {
      var text = fold(item.textContent);
      var match = words.every(function (word) { return text.indexOf(word) !== -1; });
      item.hidden = !match && !item.querySelector("input").checked;
      if (match) matched += 1;
    });
    list.querySelector(".choices-empty").hidden = matched > 0;
  }

  function start() {
    document.querySelectorAll("[data-choices]").forEach(function (list) {
      var find = list.querySelector(".choices-find");
      if (find) find.hidden = false;
    });
  }

  document.addEventListener("input", function (event) {
    var box = event.target;
    if (!box.matches || !box.matches(".choices-find input")) return;
    filter(box.closest("[data-choices]"), box.value);
  });

  document.addEventListener("change", function (event) {
    var input = event.target;
    if (input.matches && input.matches(".choices-options input")) {
      summarise(input.closest("[data-choices]"));
    }
  });

  document.addEventListener("keydown", function (event) {
    var box = event.target;
    if (event.key !== "Enter" || !box.matches || !box.matches(".choices-find input")) return;
    event.preventDefault();
    var list = box.closest("[data-choices]");
    var open = Array.prototype.filter.call(
      list.querySelectorAll(".choices-options li:not([hidden]) input"),
      function (input) { return !input.checked; });
    if (open.length === 1) {
      open[0].checked = true;
      summarise(list);
      box.value = "";
      filter(list, "");
    }
  });

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
