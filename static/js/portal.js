// The portal's own script: small behaviours that need no framework.
document.addEventListener("DOMContentLoaded", () => {
  // Confirm destructive buttons: <button data-confirm="Удалить?">
  document.body.addEventListener("click", (event) => {
    const button = event.target.closest("[data-confirm]");
    if (button && !window.confirm(button.dataset.confirm)) {
      event.preventDefault();
      event.stopPropagation();
    }
  }, true);
  // Auto-submit filter forms on change: <form data-autosubmit>
  document.querySelectorAll("form[data-autosubmit]").forEach((form) => {
    form.addEventListener("change", () => form.requestSubmit());
  });
  // Check every box of a name at once: <input type="checkbox" data-check-all="staff">
  document.body.addEventListener("change", (event) => {
    const all = event.target.closest("[data-check-all]");
    if (!all || !all.form) return;
    all.form.querySelectorAll(`input[type=checkbox][name="${all.dataset.checkAll}"]`).forEach((box) => {
      box.checked = all.checked;
    });
  });
  // Copy a field's text: <button data-copy="#field-id">; the clipboard API needs https or 127.0.0.1,
  // elsewhere the field is selected and copied the old way.
  document.body.addEventListener("click", async (event) => {
    const button = event.target.closest("[data-copy]");
    const field = button && document.querySelector(button.dataset.copy);
    if (!field) return;
    let copied = false;
    try {
      await navigator.clipboard.writeText(field.value);
      copied = true;
    } catch {
      field.select();
      copied = document.execCommand("copy");
    }
    const label = button.textContent;
    button.textContent = copied ? "Скопировано" : "Выделено: нажмите Ctrl+C";
    setTimeout(() => { button.textContent = label; }, 2500);
  });
});
