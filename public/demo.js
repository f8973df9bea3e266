// A plain form for the demo page, driven by the public API (GET the form, POST a submission, POST a
// status lookup). The embeddable widget will replace it.
const FORM = 'support';
const $ = (selector) => document.querySelector(selector);
function build(tag, props, children) {
  const node = Object.assign(document.createElement(tag), props);
  for (const child of children) node.append(child);
  return node;
}

let definition;
let formToken;
let idempotencyKey = crypto.randomUUID();

async function loadForm() {
  const answer = await fetch(`/v1/forms/${FORM}?locale=${encodeURIComponent(navigator.language)}`);
  const body = await answer.json();
  if (!answer.ok) throw new Error(body.error?.message ?? 'The form could not be loaded.');
  definition = body.form;
  formToken = answer.headers.get('Form-Token') ?? body.formToken;
  const fields = $('#fields');
  fields.replaceChildren(build('p', { textContent: definition.intro ?? '' }, []));
  for (const field of definition.fields) {
    const label = build('label', { htmlFor: field.key }, [field.label + (field.required ? ' *' : '')]);
    let input;
    if (field.type === 'textarea') input = build('textarea', { id: field.key, name: field.key }, []);
    else if (field.type === 'select') {
      input = build('select', { id: field.key, name: field.key }, [
        build('option', { value: '', textContent: '—' }, []),
      ]);
      for (const o of field.options ?? [])
        input.append(build('option', { value: o.value, textContent: o.label }, []));
    } else
      input = build(
        'input',
        { id: field.key, name: field.key, type: field.type === 'checkbox' ? 'checkbox' : field.type },
        [],
      );
    input.required = field.required;
    if (field.type === 'checkbox') label.prepend(input);
    else label.append(input);
    label.append(build('span', { className: 'error', id: `${field.key}-error` }, []));
    fields.append(label);
  }
}

$('#request').addEventListener('submit', async (event) => {
  event.preventDefault();
  const form = event.currentTarget;
  const button = form.querySelector('button');
  const result = $('#request-result');
  for (const e of form.querySelectorAll('.error')) e.textContent = '';
  const values = { website: form.website.value };
  for (const field of definition.fields) {
    const input = form.elements[field.key];
    values[field.key] = field.type === 'checkbox' ? input.checked : input.value;
  }
  const payload = {
    values,
    formToken,
    locale: definition.locale,
    context: { pageUrl: location.href, referrer: document.referrer, locale: navigator.language },
  };
  const files = [...form.attachments.files];
  let body;
  let headers = { 'Idempotency-Key': idempotencyKey };
  if (files.length > 0) {
    body = new FormData();
    body.append('payload', JSON.stringify(payload));
    for (const f of files) body.append('attachments', f);
  } else {
    body = JSON.stringify(payload);
    headers = { ...headers, 'Content-Type': 'application/json' };
  }
  button.disabled = true;
  result.textContent = 'Sending…';
  try {
    const answer = await fetch(`/v1/forms/${FORM}/submissions`, { method: 'POST', headers, body });
    const reply = await answer.json();
    if (answer.ok) {
      result.textContent =
        reply.status === 'created'
          ? `Received: request ${reply.caseNumber}. Keep this number to check the status.`
          : 'Received. It is queued and will reach the help desk shortly; this browser can check its status.';
      localStorage.setItem('deskie-form-demo-token', reply.lookupToken);
      idempotencyKey = crypto.randomUUID();
      form.reset();
    } else {
      result.textContent = reply.error.message;
      for (const [key, code] of Object.entries(reply.error.fields ?? {})) {
        const slot = $(`#${key}-error`);
        if (slot) slot.textContent = code.toLowerCase().replaceAll('_', ' ');
      }
    }
  } catch {
    result.textContent = 'The network failed. Your request was not lost: press Send again.';
  } finally {
    button.disabled = false;
  }
});

$('#lookup').addEventListener('submit', async (event) => {
  event.preventDefault();
  const form = event.currentTarget;
  const out = $('#lookup-result');
  const answer = await fetch(`/v1/forms/${FORM}/status`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ caseNumber: form.caseNumber.value, email: form.email.value }),
  });
  const reply = await answer.json();
  if (!answer.ok) {
    out.replaceChildren(build('p', { textContent: reply.error.message }, []));
    return;
  }
  out.replaceChildren(
    build('p', {}, [
      build('strong', { textContent: `${reply.caseNumber ?? reply.receipt}: ${reply.statusLabel}` }, []),
    ]),
    build(
      'p',
      { textContent: `${reply.subject} — updated ${new Date(reply.updatedAt).toLocaleString()}` },
      [],
    ),
    ...(reply.replies ?? []).map((r) =>
      build('p', { className: 'reply', textContent: `${r.author}: ${r.text}` }, []),
    ),
  );
});

loadForm().catch((error) => {
  $('#fields').replaceChildren(build('p', { textContent: error.message }, []));
});
