// Show deadlines in the reader's own timezone and keep "time left" current.
(function () {
  function left(ms) {
    if (ms <= 0) return "closed";
    var s = Math.floor(ms / 1000), d = Math.floor(s / 86400), h = Math.floor(s % 86400 / 3600),
        m = Math.floor(s % 3600 / 60);
    if (d) return d + (d === 1 ? " day " : " days ") + h + " h left";
    return h ? h + " h " + m + " min left" : m + " min " + (s % 60) + " s left";
  }
  var fmt = new Intl.DateTimeFormat(undefined, {dateStyle: "medium", timeStyle: "short", timeZoneName: "short"});
  document.querySelectorAll("time[data-local]").forEach(function (el) {
    el.textContent = fmt.format(new Date(el.getAttribute("datetime")));
  });
  function tick() {
    document.querySelectorAll("[data-left]").forEach(function (el) {
      el.textContent = "(" + left(new Date(el.getAttribute("data-left")) - new Date()) + ")";
    });
  }
  // The words of the countdown are English: elsewhere the server's translated text stays.
  if ((document.documentElement.lang || "en").slice(0, 2) !== "en") return;
  tick();
  setInterval(tick, 1000);
})();
