// Quick exit. The "Exit this page" link works without this script; with
// it, leaving also hides the page at once and replaces it in the history
// (so Back does not return), and pressing Shift three times in a row does
// the same (another key in between, as in Shift+Tab, starts anew).
// Old JavaScript, for old phones.
(function () {
  var link = document.getElementById('quick-exit');
  if (!link) return;
  var gone = false;
  function leave(event) {
    if (event) event.preventDefault();
    if (gone) return;
    gone = true;
    document.documentElement.style.display = 'none';
    document.title = '';
    window.location.replace(link.href);
  }
  link.addEventListener('click', leave);
  var presses = [];
  document.addEventListener('keydown', function (event) {
    if (event.key !== 'Shift') {
      presses = [];
      return;
    }
    if (event.repeat) return;
    var now = Date.now();
    presses = presses.filter(function (t) { return now - t < 2000; });
    presses.push(now);
    if (presses.length >= 3) leave();
  });
  var hint = document.getElementById('quick-exit-hint');
  if (hint) hint.hidden = false;
})();
