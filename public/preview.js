// The demo page's config preview ("Preview your config"), deferred after setup.js and its queue
// stub. It mounts the chosen form inline and, as it is answered, shows what the backend's preview
// (/demo/preview, demo only) says Deskie would receive. The answers are read from the widget's open
// shadow root, control by control by `name`, the way a browser would submit them: this page knows
// nothing of the widget's insides, so a new kind of field needs nothing here.
(() => {
  const pick = document.getElementById('preview-pick');
  const room = document.getElementById('preview-room');
  const status = document.getElementById('preview-status');
  const out = document.getElementById('preview-json');
  let forms = [];
  /** The form shown: its id, locale and element; undefined until one is. */
  let shown;
  let mounts = 0;
  /** Previews asked for: only the latest one's answer is shown, whatever order they come back in. */
  let asked = 0;
  let timer;

  // A live region speaks on every change: say a thing once, not on every keystroke.
  const say = (text) => {
    if (status.textContent !== text) status.textContent = text;
  };

  const languageName = (tag) => {
    try {
      return `${new Intl.DisplayNames([tag], { type: 'language' }).of(tag)} (${tag})`;
    } catch {
      return tag;
    }
  };

  const fillLocales = () => {
    const form = forms.find((f) => f.id === pick.form.value);
    const before = pick.locale.value;
    pick.locale.replaceChildren(...(form?.locales ?? []).map((tag) => new Option(languageName(tag), tag)));
    if (form?.locales.includes(before)) pick.locale.value = before;
  };

  /** The answers in `form`, as its controls hold them: a radio group's checked value, a box's tick. */
  const answersIn = (form) => {
    const values = {};
    for (const control of form.elements) {
      const { name, type } = control;
      if (!name || control.disabled || !['INPUT', 'SELECT', 'TEXTAREA'].includes(control.tagName)) continue;
      // What nobody sees is no answer: the honeypot sits in a part hidden from people.
      if (control.closest('[aria-hidden="true"]')) continue;
      if (['file', 'submit', 'button', 'reset', 'image'].includes(type)) continue;
      if (type === 'radio') {
        if (control.checked) values[name] = control.value;
      } else if (type === 'checkbox') values[name] = control.checked;
      else values[name] = control.value;
    }
    return values;
  };

  const preview = async () => {
    const form = shown?.element.querySelector('deskie-form')?.shadowRoot?.querySelector('form');
    if (!form) return;
    const ticket = ++asked;
    const body = {
      values: answersIn(form),
      locale: shown.locale,
      context: {
        pageUrl: location.href,
        referrer: document.referrer || undefined,
        locale: navigator.language,
      },
    };
    let answer;
    try {
      const response = await fetch(`/demo/preview/forms/${encodeURIComponent(shown.id)}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
      answer = await response.json();
    } catch {
      if (ticket === asked) say('The preview could not be reached: is the demo server still running?');
      return;
    }
    if (ticket !== asked) return;
    if (answer.ok) {
      say('Deskie would receive this create-case request. Nothing was sent.');
      out.textContent = JSON.stringify(answer.deskie, null, 2);
      return;
    }
    const fields = Object.keys(answer.error?.fields ?? {});
    say(
      fields.length > 0
        ? `Not yet: the form would refuse ${fields.length === 1 ? 'one answer' : `${fields.length} answers`} (${fields.join(', ')}).`
        : (answer.error?.message ?? 'The preview failed.'),
    );
    out.textContent = JSON.stringify(answer, null, 2);
  };

  // Conditional fields appear after the answer that shows them: read once the widget has drawn them.
  const previewSoon = () => {
    clearTimeout(timer);
    timer = setTimeout(preview, 150);
  };

  const show = () => {
    mounts += 1;
    // A new element each time: `init` on a form, mode and target it has seen changes nothing.
    const element = document.createElement('div');
    element.id = `preview-widget-${mounts}`;
    room.replaceChildren(element);
    shown = { id: pick.form.value, locale: pick.locale.value, element };
    out.textContent = '';
    say('Loading the form…');
    window.DeskieForm.init({
      form: shown.id,
      mode: 'inline',
      target: `#${element.id}`,
      locale: shown.locale,
      theme: pick.theme.value,
    });
  };

  // The widget's `input` events leave its shadow root (they are composed); `change` too, in case.
  room.addEventListener('input', previewSoon);
  room.addEventListener('change', previewSoon);
  window.addEventListener('deskie-form:ready', (event) => {
    if (event.detail?.form === shown?.id) previewSoon();
  });

  pick.form.addEventListener('change', fillLocales);
  pick.addEventListener('submit', (event) => {
    event.preventDefault();
    show();
  });
  // Once a form is shown, another choice shows it again at once.
  pick.addEventListener('change', () => {
    if (shown) show();
  });

  fetch('/demo/preview/forms')
    .then((response) => response.json())
    .then((answer) => {
      forms = answer.forms;
      pick.form.replaceChildren(...forms.map((f) => new Option(`${f.title} (${f.id})`, f.id)));
      fillLocales();
      pick.show.disabled = false;
    })
    .catch(() => say('The forms of the config could not be loaded.'));
})();
