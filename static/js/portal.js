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
  // Offer only the formats of the chosen report: <select data-formats-for="id_format"> whose options
  // say their formats (data-formats="xlsx pdf"); a format the report lacks is disabled, not hidden.
  document.querySelectorAll("select[data-formats-for]").forEach((kind) => {
    const format = document.getElementById(kind.dataset.formatsFor);
    if (!format) return;
    const sync = () => {
      const allowed = (kind.selectedOptions[0]?.dataset.formats || "").split(" ");
      for (const option of format.options) option.disabled = !allowed.includes(option.value);
      if (format.selectedOptions[0]?.disabled) {
        const first = [...format.options].find((option) => !option.disabled);
        if (first) format.value = first.value;
      }
    };
    kind.addEventListener("change", sync);
    sync();
  });
  // The express review's warning: <form data-review-minimum="6" data-review-key="concrete_competency"> shows its
  // [data-review-warning] while the sum is below the minimum or the key criterion has a 0 and the comment is empty
  // (routes.workflow.services.route_approve refuses such an approval without a comment).
  document.querySelectorAll("form[data-review-minimum]").forEach((form) => {
    const warning = form.querySelector("[data-review-warning]");
    const comment = form.querySelector("textarea[name=comment]");
    const update = () => {
      const checked = [...form.querySelectorAll("input[type=radio]:checked")];
      const total = checked.reduce((sum, input) => sum + Number(input.value), 0);
      const minimum = Number(form.dataset.reviewMinimum);
      const keyZero = checked.some((input) => input.name === form.dataset.reviewKey && input.value === "0");
      const all = checked.length === form.querySelectorAll("fieldset.review-criterion").length;
      const low = (all && minimum > 0 && total < minimum) || keyZero;
      warning.querySelector("[data-review-total]").textContent = total;
      warning.hidden = !low;
      warning.classList.toggle("alert-danger", low && comment && !comment.value.trim());
      warning.classList.toggle("alert-warning", !(low && comment && !comment.value.trim()));
    };
    form.addEventListener("change", update);
    form.addEventListener("input", update);
    form.addEventListener("submit", (event) => {
      update();
      if (!warning.hidden && comment && !comment.value.trim()) {
        event.preventDefault();
        comment.focus();
      }
    });
    update();
  });
});
