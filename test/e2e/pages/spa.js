// A single-page app: it initialises the widget when it starts and again on every "page" it
// renders, and renders by replacing <body> and pushing history entries.
window.DeskieForm = window.DeskieForm || { q: [] };
for (const name of ['init', 'open', 'close', 'prefill', 'on'])
  window.DeskieForm[name] =
    window.DeskieForm[name] || ((...args) => window.DeskieForm.q.push([name, ...args]));

window.DeskieForm.init({ form: 'support' });

window.renderPage = (title) => {
  const body = document.createElement('body');
  const main = document.createElement('main');
  const heading = document.createElement('h1');
  heading.textContent = title;
  main.append(heading);
  body.append(main);
  document.documentElement.replaceChild(body, document.body);
  history.pushState({ title }, '', `#${title.toLowerCase()}`);
  window.DeskieForm.init({ form: 'support' });
};
