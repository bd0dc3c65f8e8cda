// The language menu applies at once (an inline onchange handler would need 'unsafe-inline' in the CSP).
document.addEventListener("DOMContentLoaded", function () {
  var select = document.getElementById("language-select");
  if (select) {
    select.addEventListener("change", function () { select.form.submit(); });
  }
});
