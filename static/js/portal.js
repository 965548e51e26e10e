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
});
