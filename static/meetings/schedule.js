// Schedule form: picking the chair's account copies the person's name and title into the
// fields below (still editable).
// Without the script the server fills an untouched name and title from the account.
(function () {
  "use strict";
  var pick = document.querySelector(".js-chair-pick");
  var name = document.getElementById("id_chair_name");
  var title = document.getElementById("id_chair_title");
  if (pick && name && title) {
    var shown = pick.options[pick.selectedIndex] || null;
    pick.addEventListener("change", function () {
      var option = pick.options[pick.selectedIndex];
      if (!option || !option.dataset.name) { return; }
      // A value typed over what the previous choice filled in is kept.
      var previous = shown && shown.dataset ? shown.dataset : {};
      if (!name.value || name.value === (previous.name || "")) { name.value = option.dataset.name; }
      if (!title.value || title.value === (previous.title || "")) { title.value = option.dataset.title || ""; }
      shown = option;
    });
  }
})();
