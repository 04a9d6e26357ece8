// Passkeys in the clerks' area: registering one (/admin/sicurezza) and signing in with one
// (/admin/verifica). The only script of the area, served from this host; without it (or
// without WebAuthn in the browser) its buttons stay hidden and the forms work as before.
(function () {
  'use strict';
  if (!window.PublicKeyCredential || !PublicKeyCredential.parseCreationOptionsFromJSON) return;

  function post(url, fields) {
    return fetch(url, {
      method: 'POST', credentials: 'same-origin', redirect: 'error',
      headers: {'Content-Type': 'application/x-www-form-urlencoded'},
      body: new URLSearchParams(fields)
    });
  }

  document.querySelectorAll('button[data-passkey]').forEach(function (button) {
    var form = button.form;
    var status = document.getElementById(button.getAttribute('data-status'));
    button.hidden = false;
    button.addEventListener('click', async function (event) {
      event.preventDefault();
      status.textContent = '';
      var csrf = form.querySelector('input[name=csrf]').value;
      var fields = {csrf: csrf};
      var next = form.querySelector('input[name=dopo]');   // the page asked for before signing in
      if (next) fields.dopo = next.value;
      var name = form.querySelector('input[name=name]');
      if (name) {
        if (!name.reportValidity()) return;
        fields.name = name.value;
      }
      button.disabled = true;
      try {
        var options = await post(button.getAttribute('data-options'), {csrf: csrf});
        if (!options.ok) throw new Error('options');
        var json = await options.json();
        var credential = button.getAttribute('data-passkey') === 'create'
          ? await navigator.credentials.create({publicKey: PublicKeyCredential.parseCreationOptionsFromJSON(json)})
          : await navigator.credentials.get({publicKey: PublicKeyCredential.parseRequestOptionsFromJSON(json)});
        fields.credential = JSON.stringify(credential.toJSON());
        var answer = await post(form.action, fields);
        var result = await answer.json();
        if (answer.ok && result.next) {
          window.location.assign(result.next);
          return;
        }
        status.textContent = result.error || button.getAttribute('data-error');
      } catch (e) {
        status.textContent = button.getAttribute('data-error');
      } finally {
        button.disabled = false;
      }
    });
  });
})();
