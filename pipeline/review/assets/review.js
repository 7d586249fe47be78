/* councilplans review site: sorting and filtering the index; a document page's records, highlights and corrections.
   Plain script (no modules: they do not load from file://), no dependencies, no network. */
(function () {
  "use strict";
  var DATA = JSON.parse(document.getElementById("cp-data").textContent);
  var STORE_KEY = "councilplans-corrections";

  function el(tag, attrs, children) {
    var node = document.createElement(tag);
    if (attrs) Object.keys(attrs).forEach(function (k) {
      if (k === "text") node.textContent = attrs[k];
      else if (k === "className") node.className = attrs[k];
      else node.setAttribute(k, attrs[k]);
    });
    (children || []).forEach(function (c) { if (c != null) node.appendChild(typeof c === "string" ? document.createTextNode(c) : c); });
    return node;
  }
  function fmt(v) {
    if (v === null || v === undefined || v === "") return "\u2014";
    if (typeof v === "number" && Math.abs(v) >= 1000) return v.toLocaleString("en-GB");
    return String(v);
  }

  /* ---------------------------------------------------------------- pending corrections (this browser) */
  function pending() {
    try { return JSON.parse(localStorage.getItem(STORE_KEY) || "[]"); } catch (e) { return []; }
  }
  function savePending(list) {
    try { localStorage.setItem(STORE_KEY, JSON.stringify(list)); } catch (e) { /* private mode: kept in memory */ }
    memory = list;
  }
  var memory = null;
  function allPending() { return memory || pending(); }

  /* ---------------------------------------------------------------- index */
  function initIndex() {
    var table = document.getElementById("docs");
    var tbody = table.tBodies[0];
    var rows = Array.prototype.slice.call(tbody.rows);
    var q = document.getElementById("q"), status = document.getElementById("status"), flagged = document.getElementById("flagged");
    var shown = document.getElementById("shown");
    function value(row, col) {
      var cell = row.cells[col];
      var v = cell.getAttribute("data-v");
      if (v === null) v = cell.textContent.trim();
      var n = parseFloat(v);
      return cell.classList.contains("num") || (v !== "" && String(n) === v) ? (isNaN(n) ? -1 : n) : v.toLowerCase();
    }
    Array.prototype.forEach.call(table.tHead.rows[0].cells, function (th, col) {
      th.addEventListener("click", function () {
        var asc = th.getAttribute("aria-sort") !== "ascending";
        Array.prototype.forEach.call(table.tHead.rows[0].cells, function (h) { h.removeAttribute("aria-sort"); });
        th.setAttribute("aria-sort", asc ? "ascending" : "descending");
        rows.sort(function (a, b) {
          var x = value(a, col), y = value(b, col);
          return (x < y ? -1 : x > y ? 1 : 0) * (asc ? 1 : -1);
        });
        rows.forEach(function (r) { tbody.appendChild(r); });
      });
    });
    function filter() {
      var words = q.value.toLowerCase().split(/\s+/).filter(Boolean), n = 0;
      rows.forEach(function (r) {
        var text = r.textContent.toLowerCase();
        var ok = words.every(function (w) { return text.indexOf(w) >= 0; }) &&
          (!status.value || r.getAttribute("data-status") === status.value) &&
          (!flagged.checked || r.getAttribute("data-flagged") === "1");
        r.hidden = !ok; if (ok) n++;
      });
      shown.textContent = n + " of " + rows.length + " shown";
    }
    [q, status, flagged].forEach(function (c) { c.addEventListener("input", filter); c.addEventListener("change", filter); });
    filter();
    var n = allPending().length;
    document.getElementById("pending").textContent = n ? n + " correction(s) pending in this browser: download them from a document page" : "";
  }

  /* ---------------------------------------------------------------- document */
  function initDocument() {
    var recs = DATA.records, types = DATA.types, doc = DATA.doc;
    var list = document.getElementById("recs"), detail = document.getElementById("detail");
    var src = document.getElementById("src");
    var rows = [];            // record index -> <li>
    var marks = {};           // record index -> highlight elements
    var drawn = {};           // page number -> overlays drawn
    var byPage = {};          // page number -> record indexes boxed there
    var selected = null;
    var head = document.querySelector("header.top");
    document.documentElement.style.setProperty("--head", head.offsetHeight + "px");

    /* highlights: text spans are in the page already; PDF boxes are drawn when their page comes near */
    if (DATA.mode === "text") {
      Array.prototype.forEach.call(src.querySelectorAll("[data-r]"), function (node) {
        node.getAttribute("data-r").split(" ").forEach(function (i) { (marks[i] = marks[i] || []).push(node); });
      });
    } else if (DATA.mode === "pdf") {
      recs.forEach(function (r) {
        (r.r || []).forEach(function (box) { (byPage[box[0]] = byPage[box[0]] || []).push(r.i); });
      });
      var observer = "IntersectionObserver" in window ? new IntersectionObserver(function (entries) {
        entries.forEach(function (e) { if (e.isIntersecting) drawPage(+e.target.getAttribute("data-n")); });
      }, { root: src, rootMargin: "600px 0px" }) : null;
      Array.prototype.forEach.call(src.querySelectorAll(".pg"), function (pg) {
        if (observer) observer.observe(pg); else drawPage(+pg.getAttribute("data-n"));
      });
    }
    function drawPage(n) {
      if (drawn[n]) return;
      drawn[n] = true;
      var overlay = document.querySelector("#pg-" + n + " .ov");
      if (!overlay) return;
      (byPage[n] || []).forEach(function (i) {
        var r = recs[i];
        r.r.forEach(function (box) {
          if (box[0] !== n) return;
          var cls = "box t-" + r.t + (r.lc ? " lc" : "") + (r.ck ? " ck" : "") + (r.del ? " del" : "") + (selected === i ? " sel" : "");
          var node = el("div", { className: cls, "data-r": String(i), title: r.t + ": " + summary(r) });
          node.style.left = box[1] * 100 + "%"; node.style.top = box[2] * 100 + "%";
          node.style.width = box[3] * 100 + "%"; node.style.height = box[4] * 100 + "%";
          overlay.appendChild(node);
          (marks[i] = marks[i] || []).push(node);
        });
      });
    }

    /* the record list */
    function summary(r) {
      var f = r.f;
      switch (r.t) {
        case "budget": return (f.scope || "(no scope)") + " \u00b7 " + (f.financial_year || "?") + " \u00b7 " + f.measure + (f.phase ? " (" + f.phase + ")" : "") + " \u00b7 \u00a3" + fmt(f.amount_gbp);
        case "target": return f.indicator + " \u00b7 " + (f.target_text || fmt(f.value)) + (f.financial_year ? " \u00b7 " + f.financial_year : "");
        case "service": return f.name + (f.lead ? " \u00b7 " + f.lead : "");
        case "objective": return f.text;
        case "performance": return f.scope + " \u00b7 G" + fmt(f.green) + " A" + fmt(f.amber) + " R" + fmt(f.red);
        case "workforce": return (f.scope || "") + " \u00b7 " + fmt(f.count) + " " + f.basis;
        case "risk": return f.description + (f.amount_gbp != null ? " \u00b7 \u00a3" + fmt(f.amount_gbp) : "");
      }
      return "";
    }
    var frag = document.createDocumentFragment();
    recs.forEach(function (r) {
      var flags = [];
      if (r.lc) flags.push(el("span", { className: "flag lc", text: "low confidence " + (r.c != null ? r.c.toFixed(2) : "") }));
      if (r.ck) flags.push(el("span", { className: "flag ck", text: "check: " + r.ck.join(", ") }));
      if (r.note) flags.push(el("span", { className: "flag corr", text: r.del ? "deleted" : r.add ? "added" : "corrected" }));
      if (r.how === "unplaced" && r.sn) flags.push(el("span", { className: "flag nf", text: "not found in source" }));
      var li = el("li", { className: "t-" + r.t + (r.del ? " del" : ""), "data-i": String(r.i), tabindex: "0" },
        [el("span", { className: "ty", text: r.t + (r.p ? " p" + r.p : "") }), el("span", { className: "sum", text: summary(r) })].concat(flags));
      rows[r.i] = li;
      frag.appendChild(li);
    });
    list.appendChild(frag);
    list.addEventListener("click", function (e) {
      var li = e.target.closest("li[data-i]");
      if (li) select(+li.getAttribute("data-i"), "list");
    });
    list.addEventListener("keydown", function (e) {
      var li = e.target.closest("li[data-i]");
      if (!li) return;
      if (e.key === "Enter") select(+li.getAttribute("data-i"), "list");
      var next = e.key === "ArrowDown" ? li.nextElementSibling : e.key === "ArrowUp" ? li.previousElementSibling : null;
      while (next && next.hidden) next = e.key === "ArrowDown" ? next.nextElementSibling : next.previousElementSibling;
      if (next) { e.preventDefault(); next.focus(); select(+next.getAttribute("data-i"), "list"); }
    });

    /* click a highlight: select its record (clicking again cycles through records sharing the words) */
    src.addEventListener("click", function (e) {
      var node = e.target.closest("[data-r]");
      if (!node) return;
      var ids = node.getAttribute("data-r").split(" ").map(Number);
      var at = ids.indexOf(selected);
      select(ids[at >= 0 ? (at + 1) % ids.length : 0], "source");
    });

    function select(i, from) {
      if (selected !== null) {
        rows[selected].classList.remove("sel");
        (marks[selected] || []).forEach(function (m) { m.classList.remove("sel"); });
      }
      selected = i;
      var r = recs[i];
      rows[i].classList.add("sel");
      (r.r || []).forEach(function (box) { drawPage(box[0]); });
      var found = marks[i] || [];
      found.forEach(function (m) { m.classList.add("sel"); });
      if (from === "list" && found.length) found[0].scrollIntoView({ block: "center" });
      else if (from === "list" && r.r && r.r.length) document.getElementById("pg-" + r.r[0][0]).scrollIntoView({ block: "start" });
      else if (from === "list" && r.p && document.getElementById("pg-" + r.p)) document.getElementById("pg-" + r.p).scrollIntoView({ block: "start" });
      if (from === "source") { rows[i].hidden = false; rows[i].scrollIntoView({ block: "nearest" }); }
      showDetail(r);
      document.body.setAttribute("data-selected", String(i));
    }

    /* filters */
    var chips = document.querySelectorAll(".chip"), rq = document.getElementById("rq"), onlyFlagged = document.getElementById("only-flagged");
    Array.prototype.forEach.call(chips, function (chip) {
      var n = recs.filter(function (r) { return r.t === chip.getAttribute("data-type") && !r.del; }).length;
      chip.querySelector("b").textContent = n;
      chip.setAttribute("data-n", String(n));
      chip.addEventListener("click", function () {
        chip.setAttribute("aria-pressed", chip.getAttribute("aria-pressed") === "true" ? "false" : "true");
        applyFilter();
      });
    });
    function applyFilter() {
      var on = {};
      Array.prototype.forEach.call(chips, function (c) { on[c.getAttribute("data-type")] = c.getAttribute("aria-pressed") === "true"; });
      var words = rq.value.toLowerCase().split(/\s+/).filter(Boolean);
      recs.forEach(function (r) {
        var text = rows[r.i].textContent.toLowerCase();
        rows[r.i].hidden = !(on[r.t] && (!onlyFlagged.checked || r.lc || r.ck) &&
          words.every(function (w) { return text.indexOf(w) >= 0; }));
      });
    }
    rq.addEventListener("input", applyFilter);
    onlyFlagged.addEventListener("change", applyFilter);

    /* the selected record: its fields, provenance and the correction actions */
    function showDetail(r) {
      detail.hidden = false;
      detail.innerHTML = "";
      detail.className = "t-" + r.t;
      var table = el("table");
      types[r.t].fields.forEach(function (name) {
        var orig = r.o && Object.prototype.hasOwnProperty.call(r.o, name) ? el("span", { className: "orig", text: fmt(r.o[name]) }) : null;
        table.appendChild(el("tr", null, [el("td", { text: name }), el("td", null, [fmt(r.f[name]), orig])]));
      });
      table.appendChild(el("tr", null, [el("td", { text: "confidence" }), el("td", { text: r.c != null ? r.c.toFixed(2) : "\u2014" })]));
      table.appendChild(el("tr", null, [el("td", { text: "where" }), el("td", { text: (r.p ? "page " + r.p + ", " : "") + (r.s != null ? "chars " + r.s + "\u2013" + r.e : "no span") + (r.how ? " (" + r.how + ")" : "") })]));
      table.appendChild(el("tr", null, [el("td", { text: "id" }), el("td", { text: r.id || "" })]));
      detail.appendChild(el("div", null, [el("b", { text: r.t }), " ", summary(r)]));
      if (r.sn) detail.appendChild(el("blockquote", { text: r.sn }));
      detail.appendChild(table);
      if (r.ck) detail.appendChild(el("p", { className: "flag ck", text: "failed checks: " + r.ck.join(", ") }));
      if (r.note) detail.appendChild(el("p", { className: "flag corr", text: r.note }));
      if (r.add || r.del) return;  // corrections to analysts' own rows are edited in the corrections file
      var actions = el("div", { className: "actions" });
      var wrong = el("button", { type: "button", text: "mark wrong" });
      var edit = el("button", { type: "button", text: "correct a field" });
      actions.appendChild(wrong); actions.appendChild(edit);
      detail.appendChild(actions);
      wrong.addEventListener("click", function () {
        var why = prompt("Why is this record wrong?");
        if (why) addCorrection(r, { action: "delete", reason: why });
      });
      edit.addEventListener("click", function () { detail.appendChild(fieldForm(r)); edit.disabled = true; });
    }
    function input(name, type) {
      var choices = types[type].choices[name];
      if (choices) {
        var sel = el("select", { name: name }, [el("option", { value: "", text: "\u2014" })]);
        choices.forEach(function (c) { sel.appendChild(el("option", { value: c, text: c })); });
        return sel;
      }
      return el("input", { name: name });
    }
    function fieldForm(r) {
      var fieldSel = el("select", { name: "field" });
      types[r.t].fields.forEach(function (n) { fieldSel.appendChild(el("option", { value: n, text: n })); });
      var holder = el("span"), why = el("input", { name: "reason", placeholder: "why (required)", required: "required" });
      function swap() { holder.innerHTML = ""; var i = input(fieldSel.value, r.t); i.value = r.f[fieldSel.value] == null ? "" : r.f[fieldSel.value]; holder.appendChild(i); }
      fieldSel.addEventListener("change", swap); swap();
      var form = el("form", null, [fieldSel, holder, why, el("button", { type: "submit", text: "add to corrections" })]);
      form.addEventListener("submit", function (e) {
        e.preventDefault();
        var value = holder.firstChild.value;
        addCorrection(r, { action: "set", field: fieldSel.value, value: value === "" ? null : value, reason: why.value });
        form.remove();
      });
      return form;
    }

    /* corrections collected in this browser, downloaded as a file for `councilplans correct` */
    var author = document.getElementById("author");
    author.value = localStorage.getItem("councilplans-author") || "";
    author.addEventListener("change", function () { try { localStorage.setItem("councilplans-author", author.value); } catch (e) { /* */ } });
    function addCorrection(r, c) {
      var item = {
        document_sha256: doc.sha256, source: doc.source, record_type: r ? r.t : c.record_type,
        record_key: r ? r.k : null, occurrence: r ? r.n : 0, record_id: r ? r.id : null,
        action: c.action, field: c.field || null, value: c.value === undefined ? null : c.value,
        author: author.value || "unknown", reason: c.reason, created_at: new Date().toISOString(),
        pid: Date.now().toString(36) + Math.random().toString(36).slice(2)
      };
      var list = allPending(); list.push(item); savePending(list); refreshTray();
    }
    var download = document.getElementById("download"), pendingList = document.getElementById("pending-list");
    function mine() { return allPending().filter(function (c) { return c.document_sha256 === doc.sha256; }); }
    function refreshTray() {
      var list = mine();
      document.getElementById("n-pending").textContent = list.length;
      download.disabled = !list.length;
      pendingList.innerHTML = "";
      rows.forEach(function (li) { li.classList.remove("pending-mark"); });
      list.forEach(function (c) {
        var rec = recs.filter(function (r) { return r.id === c.record_id; })[0];
        if (rec) rows[rec.i].classList.add("pending-mark");
        var remove = el("button", { type: "button", text: "\u00d7", title: "remove" });
        remove.addEventListener("click", function () {
          savePending(allPending().filter(function (x) { return x.pid !== c.pid; }));
          refreshTray();
        });
        pendingList.appendChild(el("li", null, [c.action + " " + c.record_type + (c.field ? " " + c.field + " = " + c.value : "") + " \u2014 " + c.reason + " ", remove]));
      });
    }
    download.addEventListener("click", function () {
      var body = JSON.stringify({ format: "councilplans-corrections", version: 1, corrections: mine() }, null, 1);
      var a = el("a", { href: URL.createObjectURL(new Blob([body], { type: "application/json" })),
        download: "corrections-" + doc.source.replace(/\.[^.]+$/, "") + ".json" });
      document.body.appendChild(a); a.click(); a.remove();
    });
    refreshTray();

    /* a missing record: its fields, and where it is (the text selected in the source, or the page in view) */
    document.getElementById("add-record").addEventListener("click", function () {
      var dialog = el("dialog"), typeSel = el("select", { name: "type" }), fields = el("div");
      Object.keys(types).forEach(function (t) { typeSel.appendChild(el("option", { value: t, text: t })); });
      var where = currentPlace();
      function build() {
        fields.innerHTML = "";
        types[typeSel.value].fields.forEach(function (n) {
          var i = input(n, typeSel.value);
          if (types[typeSel.value].required.indexOf(n) >= 0) i.required = true;
          fields.appendChild(el("label", null, [n, i]));
        });
      }
      typeSel.addEventListener("change", build); build();
      var why = el("input", { name: "reason", required: "required" });
      var form = el("form", { method: "dialog" }, [el("b", { text: "Add a record the extraction missed" }), el("label", null, ["type", typeSel]), fields,
        el("p", { className: "hint", text: where.snippet ? "from the selected text: \u201c" + where.snippet.slice(0, 80) + "\u201d" : (where.page ? "on page " + where.page : "select its words in the source first to record where it is") }),
        el("label", null, ["why", why]), el("div", { className: "actions" }, [el("button", { type: "submit", text: "add to corrections" }), el("button", { type: "button", value: "cancel", text: "cancel" })])]);
      form.querySelector("[value=cancel]").addEventListener("click", function () { dialog.close(); dialog.remove(); });
      form.addEventListener("submit", function (e) {
        e.preventDefault();
        var value = {};
        Array.prototype.forEach.call(fields.querySelectorAll("input,select"), function (i) { if (i.value !== "") value[i.name] = i.value; });
        if (where.page) value.page = where.page;
        if (where.snippet) { value.snippet = where.snippet; if (where.start != null) { value.char_start = where.start; value.char_end = where.end; } }
        addCorrection(null, { action: "add", record_type: typeSel.value, value: value, reason: why.value });
        dialog.close(); dialog.remove();
      });
      dialog.appendChild(form); document.body.appendChild(dialog); dialog.showModal();
    });
    function currentPlace() {
      var sel = window.getSelection(), out = {};
      if (sel && sel.rangeCount && !sel.isCollapsed && src.contains(sel.anchorNode)) {
        out.snippet = sel.toString().trim();
        var pre = src.querySelector("pre.text");
        if (pre) {
          var range = document.createRange(); range.setStart(pre, 0);
          var r0 = sel.getRangeAt(0); range.setEnd(r0.startContainer, r0.startOffset);
          out.start = range.toString().length; out.end = out.start + sel.toString().length;
        }
      }
      if (DATA.mode === "pdf") {
        var pages = src.querySelectorAll(".pg"), top = src.getBoundingClientRect().top;
        for (var k = 0; k < pages.length; k++) if (pages[k].getBoundingClientRect().bottom > top + 40) { out.page = +pages[k].getAttribute("data-n"); break; }
      }
      return out;
    }
    window.councilplansReview = { select: select, records: recs, pending: mine };
  }

  if (DATA.page === "index") initIndex(); else initDocument();
})();
