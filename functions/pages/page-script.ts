/**
 * The one script of Convene's pages (served at SCRIPT_PATH, allowed by the page policy's
 * `script-src 'self'`; no inline script anywhere). It only improves a page that is whole
 * without it: it fills an empty time-zone field marked `data-browser-zone` with the
 * browser's zone, and under each session time of a list marked `data-your-time` it adds the
 * time in the visitor's own zone, worded by the page (`{zone}`, `{time}`).
 */
export const SCRIPT_PATH = '/assets/convene.js';

export const PAGE_SCRIPT = `(function () {
  var zone;
  try { zone = Intl.DateTimeFormat().resolvedOptions().timeZone; } catch (e) { return; }
  if (!zone) return;
  var field = document.querySelector('input[data-browser-zone]');
  if (field && !field.value) field.value = zone;
  var list = document.querySelector('[data-your-time]');
  if (!list) return;
  var template = list.getAttribute('data-your-time');
  var format = new Intl.DateTimeFormat(list.getAttribute('data-locale') || undefined, { weekday: 'long', day: 'numeric', month: 'long', hour: '2-digit', minute: '2-digit', hourCycle: 'h23', timeZone: zone });
  var times = list.querySelectorAll('time[datetime]');
  for (var i = 0; i < times.length; i++) {
    var line = document.createElement('p');
    line.className = 'muted local-time';
    line.setAttribute('dir', 'auto');
    line.textContent = template.replace('{zone}', zone).replace('{time}', format.format(new Date(times[i].getAttribute('datetime'))));
    times[i].parentNode.parentNode.insertBefore(line, times[i].parentNode.nextSibling);
  }
})();
`;
