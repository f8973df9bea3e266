// The demo page's own script (no inline scripts: the page works under a strict CSP).
// It reads ?lang= and ?theme=, installs the documented queue stub, and asks for two widgets
// before the widget script has loaded — the stub keeps the calls.
(() => {
  const params = new URLSearchParams(location.search);
  const pick = (name, allowed) => (allowed.includes(params.get(name)) ? params.get(name) : allowed[0]);
  const lang = pick('lang', ['en', 'ru', 'ar']);
  const theme = pick('theme', ['auto', 'light', 'dark']);
  document.documentElement.lang = lang;
  document.documentElement.dir = lang === 'ar' ? 'rtl' : 'ltr';
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
