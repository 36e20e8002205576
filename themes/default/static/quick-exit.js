// Quick exit. The "Exit this page" link works without this script; with
// it, leaving also hides the page at once, replaces this page in the
// history (so Back does not return here), and pressing Shift three times
// in a row does the same. Written in old JavaScript for old phones.
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
    if (event.key !== 'Shift' || event.repeat) return;
    var now = Date.now();
    presses = presses.filter(function (t) { return now - t < 2000; });
    presses.push(now);
    if (presses.length >= 3) leave();
  });
  var hint = document.getElementById('quick-exit-hint');
  if (hint) hint.hidden = false;
})();
