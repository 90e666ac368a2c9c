// What every page's layout does on a narrow screen, once the page is read:
// - the header's menu folds behind a "Menu" button (without JavaScript it simply wraps);
// - tables read as cards, each cell labelled with its column's heading, so that no page
//   scrolls sideways on a phone (the stylesheet does the rest below 40rem);
// - a list's filter bar leaves its blank filters out of the address, which is the view
//   a member shares or saves ("?kind=funder", not "?kind=funder&tag=&territory=");
// - a list's actions on a selection float at the foot of the window once a record is
//   ticked, rather than push the list down (without JavaScript they stay in the page).
(function () {
  const bulk = document.getElementById('bulk');
  if (bulk) {
    const ticks = document.querySelectorAll('input[type=checkbox][form=bulk]');
    bulk.classList.add('floating');
    const showWhenTicked = function () {
      const ticked = Array.from(ticks).some(function (tick) { return tick.checked; });
      bulk.hidden = !ticked;
      document.body.classList.toggle('selecting', ticked);
    };
    for (const tick of ticks) tick.addEventListener('change', showWhenTicked);
    window.addEventListener('pageshow', showWhenTicked);
    showWhenTicked();
  }
  for (const form of document.querySelectorAll('form.list-filters')) {
    form.addEventListener('submit', function () {
      for (const field of form.elements) {
        if (field.name && field.value === '') field.disabled = true;
      }
    });
    // Back to the page from the browser's cache: its fields usable again.
    window.addEventListener('pageshow', function () {
      for (const field of form.elements) field.disabled = false;
    });
  }
  const toggle = document.querySelector('.menu-toggle');
  const menu = document.getElementById('menu');
  if (toggle && menu) {
    document.documentElement.classList.add('menu-folds');
    toggle.hidden = false;
    toggle.addEventListener('click', function () {
      const open = toggle.getAttribute('aria-expanded') !== 'true';
      toggle.setAttribute('aria-expanded', String(open));
      menu.classList.toggle('open', open);
    });
  }
  for (const table of document.querySelectorAll('main table')) {
    // The headings by column, a heading that spans columns repeated for each.
    const headings = [];
    for (const th of table.querySelectorAll('thead tr:last-child th')) {
      for (let i = 0; i < th.colSpan; i++) headings.push(th.textContent.trim());
    }
    if (headings.length === 0) continue;
    table.classList.add('reflow');
    for (const row of table.querySelectorAll('tbody tr, tfoot tr')) {
      let column = 0;
      for (const cell of row.children) {
        const heading = headings[column];
        if (heading && !cell.hasAttribute('data-label')) cell.setAttribute('data-label', heading);
        column += cell.colSpan;
      }
    }
  }
})();
