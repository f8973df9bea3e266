// The same form inline, through the JS API; the queue stub keeps the call if the widget is not loaded yet.
window.DeskieForm = window.DeskieForm || { q: [] };
if (window.DeskieForm.q)
  window.DeskieForm.q.push(['init', { form: 'support', mode: 'inline', target: '#inline-widget' }]);
else window.DeskieForm.init({ form: 'support', mode: 'inline', target: '#inline-widget' });
