// Live preview for eligibility rule fields (views/partials/rule-field.njk). As the user types,
// it requests what the rule selects from the preview endpoint and shows it under the field. The
// status sentence sits in a polite live region, so screen readers announce the new count once
// the user pauses. Without this script the field still works: the form is sent and checked on
// the server.

/** Milliseconds without typing before the preview is requested, so that each key press does not send one. */
const DEBOUNCE_MS = 400;

const UNAVAILABLE = 'The count could not be updated. Send the form to check the rule instead.';

for (const root of document.querySelectorAll('[data-module="app-rule-field"]')) {
  enhanceRuleField(root);
}

/**
 * Connects one rule field to the preview endpoint named in its `data-preview-url`.
 * @param {HTMLElement} root the element the macro renders around the field
 */
function enhanceRuleField(root) {
  const textarea = root.querySelector('textarea');
  const status = root.querySelector('[data-rule-status]');
  const details = root.querySelector('[data-rule-details]');
  const previewUrl = root.dataset.previewUrl;
  if (!textarea || !status || !details || !previewUrl) return;

  const yearField = textarea.form?.elements.namedItem('year');
  let timer;
  let controller;

  // The summaries of the sections the user has open, so that they stay open as the preview
  // changes, even across a preview that had none. `toggle` does not bubble, hence the capture.
  const openSections = new Set();
  details.addEventListener(
    'toggle',
    (event) => {
      const summary = summaryText(event.target);
      if (event.target.open) openSections.add(summary);
      else openSections.delete(summary);
    },
    true,
  );

  const refresh = async () => {
    controller?.abort();
    controller = new AbortController();
    const query = new URLSearchParams({ rule: textarea.value });
    const year = yearField instanceof HTMLSelectElement ? yearField.value : root.dataset.year;
    if (year) query.set('year', year);

    try {
      const response = await fetch(`${previewUrl}?${query}`, {
        signal: controller.signal,
        headers: { Accept: 'text/html' },
      });
      // 422 carries the description of a mistake in the rule; a redirect means the session ended.
      if (response.redirected || (!response.ok && response.status !== 422)) {
        showUnavailable(status, details);
        return;
      }
      showPreview(await response.text(), status, details, openSections);
    } catch (error) {
      if (error instanceof DOMException && error.name === 'AbortError') return;
      showUnavailable(status, details);
    }
  };

  const schedule = () => {
    clearTimeout(timer);
    timer = setTimeout(refresh, DEBOUNCE_MS);
  };
  textarea.addEventListener('input', schedule);
  if (yearField instanceof HTMLSelectElement) yearField.addEventListener('change', refresh);

  // A form shown again with a rule already typed (after a mistake elsewhere, or to change it)
  // gets its count at once, rather than only after the next keystroke.
  if (textarea.value.trim() !== '' && status.textContent.trim() === '') refresh();
}

/**
 * Puts the preview fragment's status and details in place of the current ones, opening the
 * sections whose summaries are in `openSections`.
 */
function showPreview(html, status, details, openSections) {
  const template = document.createElement('template');
  template.innerHTML = html;
  const newStatus = template.content.querySelector('[data-rule-status]');
  const newDetails = template.content.querySelector('[data-rule-details]');
  if (!newStatus || !newDetails) {
    showUnavailable(status, details);
    return;
  }

  for (const section of newDetails.querySelectorAll('details')) {
    if (openSections.has(summaryText(section))) section.open = true;
  }
  details.replaceChildren(...newDetails.childNodes);
  status.textContent = newStatus.textContent;
}

function summaryText(section) {
  return section.querySelector('summary')?.textContent.trim() ?? '';
}

function showUnavailable(status, details) {
  details.replaceChildren();
  status.textContent = UNAVAILABLE;
}
