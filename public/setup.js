// The demo page's own script (no inline scripts: the page works under a strict CSP), deferred.
// It reads ?lang= and ?theme=, installs the documented queue stub, and asks for two widgets —
// through the stub, which keeps the calls should the widget script not have loaded yet.
(() => {
  const params = new URLSearchParams(location.search);
  const pick = (name, allowed) => (allowed.includes(params.get(name)) ? params.get(name) : allowed[0]);
  const lang = pick('lang', ['en', 'ru', 'ar']);
  const theme = pick('theme', ['auto', 'light', 'dark']);
  // The page itself stays English and left to right (this script runs after it is first shown:
  // turning it around then would move all of it); the widgets speak the language chosen.
  document.documentElement.dataset.theme = theme;

  const look = document.getElementById('look');
  look.lang.value = lang;
  look.theme.value = theme;
  look.addEventListener('change', () => {
    location.search = new URLSearchParams({ lang: look.lang.value, theme: look.theme.value }).toString();
  });

  // The queue stub, as docs/widget.md gives it.
  window.DeskieForm = window.DeskieForm || { q: [] };
  for (const name of ['init', 'open', 'close', 'prefill', 'on'])
    window.DeskieForm[name] =
      window.DeskieForm[name] || ((...args) => window.DeskieForm.q.push([name, ...args]));

  window.DeskieForm.init({ form: 'support', locale: lang, theme, context: { page: 'demo' } });
  window.DeskieForm.init({ form: 'support', mode: 'inline', target: '#inline-widget', locale: lang, theme });

  const events = document.getElementById('events');
  for (const name of ['ready', 'open', 'close', 'submitted', 'error'])
    window.addEventListener(`deskie-form:${name}`, (event) => {
      const item = document.createElement('li');
      item.textContent = `${name} ${JSON.stringify(event.detail)}`;
      events.prepend(item);
    });
})();
