/* sitegen's search: finds the site's articles from this copy alone.
   The index is a set of scripts beside the page (parts/), each handing its
   data to sitegenSearch, so it loads from file:// as from any mirror; no
   fetch(), no WebAssembly, no other host. A query is folded, split and
   stemmed exactly as the build did the articles (src/search/words.rs). */
(function () {
  "use strict";
  var STOP = new Set(/*STOP*/);
  var MAX_WORD = /*MAX_WORD*/;
  var DIGITS = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
  var SHOWN = 20;

  /* ---- words: as src/search/words.rs ---- */

  function fold(text) {
    var out = [];
    for (var c of text) {
      for (var l of c.toLowerCase()) {
        var last = out.length ? out[out.length - 1] : "";
        if (l === "ё") out.push("е");
        else if (l === "\u2019" || l === "\u02bc") out.push("'");
        else if (l === "\u0301") continue;
        else if (l === "\u0306" && last === "и") out[out.length - 1] = "й";
        else if (l === "\u0308" && last === "е") continue;
        else out.push(l);
      }
    }
    return out.join("");
  }

  var WORD = /[\p{Alphabetic}\p{N}\u0300-\u036f']+/gu;

  function split(folded) {
    var out = [];
    for (var m of folded.matchAll(WORD)) {
      var w = m[0].replace(/^'+|'+$/g, "");
      if (w) out.push({ word: w, at: m.index, end: m.index + m[0].length });
    }
    return out;
  }

  function keep(word) {
    var n = Array.from(word).length;
    return n >= 2 && n <= MAX_WORD && !STOP.has(word);
  }

  function stem(word) {
    if (/[\u0400-\u04ff]/.test(word)) return russian(word);
    if (/[a-z]/.test(word)) return english(word);
    return word;
  }

  /* ---- Snowball Russian ---- */

  var RU_V = "аеиоуыэюя";
  var RU = {
    gerund1: ["в", "вши", "вшись"],
    gerund2: ["ив", "ивши", "ившись", "ыв", "ывши", "ывшись"],
    adjective: ["ее", "ие", "ые", "ое", "ими", "ыми", "ей", "ий", "ый", "ой", "ем", "им", "ым", "ом", "его", "ого", "ему", "ому", "их", "ых", "ую", "юю", "ая", "яя", "ою", "ею"],
    participle1: ["ем", "нн", "вш", "ющ", "щ"],
    participle2: ["ивш", "ывш", "ующ"],
    reflexive: ["ся", "сь"],
    verb1: ["ла", "на", "ете", "йте", "ли", "й", "л", "ем", "н", "ло", "но", "ет", "ют", "ны", "ть", "ешь", "нно"],
    verb2: ["ила", "ыла", "ена", "ейте", "уйте", "ите", "или", "ыли", "ей", "уй", "ил", "ыл", "им", "ым", "ен", "ило", "ыло", "ено", "ят", "ует", "уют", "ит", "ыт", "ены", "ить", "ыть", "ишь", "ую", "ю"],
    noun: ["а", "ев", "ов", "ие", "ье", "е", "иями", "ями", "ами", "еи", "ии", "и", "ией", "ей", "ой", "ий", "й", "иям", "ям", "ием", "ем", "ам", "ом", "о", "у", "ах", "иях", "ях", "ы", "ь", "ию", "ью", "ю", "ия", "ья", "я"],
    derivational: ["ост", "ость"],
    tidy: ["ейш", "ейше", "н", "ь"]
  };

  /* The longest of the groups' endings that `w` (an array of letters)
     ends with, lying wholly at or after `limit`: [group, length], or null. */
  function longest(w, limit, groups) {
    var best = null;
    for (var g = 0; g < groups.length; g++) {
      for (var e of groups[g]) {
        var n = e.length;
        if (n > w.length - limit || (best && n <= best[1])) continue;
        if (w.slice(w.length - n).join("") === e) best = [g, n];
      }
    }
    return best;
  }

  /* An ending of the first group counts only after «а» or «я» (itself
     inside the region). */
  function afterAYa(w, n, limit) {
    var i = w.length - n - 1;
    return i >= limit && (w[i] === "а" || w[i] === "я");
  }

  /* One step of the algorithm: remove the longest ending of the groups,
     the first group's only after «а»/«я». False if none applies. */
  function removeRu(w, limit, first, second) {
    var m = longest(w, limit, second ? [first, second] : [first]);
    if (!m) return false;
    if (second && m[0] === 0 && !afterAYa(w, m[1], limit)) return false;
    w.length -= m[1];
    return true;
  }

  function russian(word) {
    var w = Array.from(word);
    var isV = function (c) { return RU_V.indexOf(c) >= 0; };
    var pV = w.length, p2 = w.length, i = 0;
    while (i < w.length && !isV(w[i])) i++;
    if (i < w.length) {
      pV = i + 1;
      i = pV;
      while (i < w.length && isV(w[i])) i++;
      i++;
      while (i < w.length && !isV(w[i])) i++;
      i++;
      while (i < w.length && isV(w[i])) i++;
      if (i < w.length) p2 = i + 1;
    }
    if (!removeRu(w, pV, RU.gerund1, RU.gerund2)) {
      removeRu(w, pV, RU.reflexive);
      if (removeRu(w, pV, RU.adjective)) removeRu(w, pV, RU.participle1, RU.participle2);
      else if (!removeRu(w, pV, RU.verb1, RU.verb2)) removeRu(w, pV, RU.noun);
    }
    if (w.length > pV && w[w.length - 1] === "и") w.length -= 1;
    var d = longest(w, pV, [RU.derivational]);
    if (d && w.length - d[1] >= p2) w.length -= d[1];
    var t = longest(w, pV, [RU.tidy]);
    if (t) {
      var e = w.slice(w.length - t[1]).join("");
      var nn = function () { return w.length - 2 >= pV && w[w.length - 1] === "н" && w[w.length - 2] === "н"; };
      if (e === "ейш" || e === "ейше") {
        w.length -= t[1];
        if (nn()) w.length -= 1;
      } else if (e === "н") {
        if (nn()) w.length -= 1;
      } else {
        w.length -= 1;
      }
    }
    return w.join("");
  }

  /* ---- Snowball English (Porter2) ---- */

  var EN_EXCEPTIONS = {
    skis: "ski", skies: "sky", dying: "die", lying: "lie", tying: "tie", idly: "idl", gently: "gentl",
    ugly: "ugli", early: "earli", only: "onli", singly: "singl", sky: "sky", news: "news", howe: "howe",
    atlas: "atlas", cosmos: "cosmos", bias: "bias", andes: "andes"
  };
  var EN_AFTER_1A = new Set(["inning", "outing", "canning", "herring", "earring", "proceed", "exceed", "succeed"]);
  var STEP2 = [
    ["tional", "tion"], ["enci", "ence"], ["anci", "ance"], ["abli", "able"], ["entli", "ent"],
    ["izer", "ize"], ["ization", "ize"], ["ational", "ate"], ["ation", "ate"], ["ator", "ate"],
    ["alism", "al"], ["aliti", "al"], ["alli", "al"], ["fulness", "ful"], ["ousli", "ous"],
    ["ousness", "ous"], ["iveness", "ive"], ["iviti", "ive"], ["biliti", "ble"], ["bli", "ble"],
    ["ogi", "og"], ["fulli", "ful"], ["lessli", "less"], ["li", ""]
  ];
  var STEP3 = [
    ["tional", "tion"], ["ational", "ate"], ["alize", "al"], ["icate", "ic"], ["iciti", "ic"],
    ["ical", "ic"], ["ful", ""], ["ness", ""], ["ative", ""]
  ];
  var STEP4 = ["al", "ance", "ence", "er", "ic", "able", "ible", "ant", "ement", "ment", "ent", "ism", "ate", "iti", "ous", "ive", "ize", "ion"];

  function english(word) {
    if (Object.prototype.hasOwnProperty.call(EN_EXCEPTIONS, word)) return EN_EXCEPTIONS[word];
    var w = Array.from(word);
    if (w.length < 3) return word;
    var isV = function (c) { return c !== undefined && "aeiouy".indexOf(c) >= 0; };
    var ends = function (s) { return w.length >= s.length && w.slice(w.length - s.length).join("") === s; };
    var set = function (n, s) { w.length -= n; for (var c of s) w.push(c); };
    /* A short syllable ending at `end`: consonant (not w, x, Y), vowel,
       consonant; or vowel and consonant at the start of the word. */
    var shortv = function (end) {
      var a = w[end - 1], b = w[end - 2], c = w[end - 3];
      if (end < 2 || isV(a) || !isV(b)) return false;
      if (end === 2) return true;
      return !isV(c) && "wxY".indexOf(a) < 0;
    };
    if (w[0] === "'") w.shift();
    var yFound = false;
    for (var i = 0; i < w.length; i++) {
      if (w[i] === "y" && (i === 0 || isV(w[i - 1]))) { w[i] = "Y"; yFound = true; }
    }
    var regionAfter = function (from) {
      var j = from;
      while (j < w.length && !isV(w[j])) j++;
      while (j < w.length && isV(w[j])) j++;
      return j < w.length ? j + 1 : w.length;
    };
    var joined = w.join("");
    var p1;
    var prefix = ["gener", "commun", "arsen"].find(function (p) { return joined.startsWith(p); });
    p1 = prefix ? prefix.length : regionAfter(0);
    var p2 = p1 < w.length ? regionAfter(p1) : w.length;

    // Step 1a
    if (ends("'s'")) w.length -= 3;
    else if (ends("'s")) w.length -= 2;
    else if (ends("'")) w.length -= 1;
    if (ends("sses")) set(4, "ss");
    else if (ends("ied") || ends("ies")) set(3, w.length > 4 ? "i" : "ie");
    else if (ends("us") || ends("ss")) { /* kept */ }
    else if (ends("s")) {
      var before = w.slice(0, w.length - 2);
      if (before.some(isV)) w.length -= 1;
    }
    if (EN_AFTER_1A.has(w.join(""))) return finish(w, yFound);

    // Step 1b
    var s1b = ["eedly", "ingly", "edly", "eed", "ing", "ed"].find(ends);
    if (s1b === "eed" || s1b === "eedly") {
      if (w.length - s1b.length >= p1) set(s1b.length, "ee");
    } else if (s1b) {
      var stemPart = w.slice(0, w.length - s1b.length);
      if (stemPart.some(isV)) {
        w.length -= s1b.length;
        if (ends("at") || ends("bl") || ends("iz")) w.push("e");
        else if (["bb", "dd", "ff", "gg", "mm", "nn", "pp", "rr", "tt"].some(ends)) w.length -= 1;
        else if (w.length === p1 && shortv(w.length)) w.push("e");
      }
    }

    // Step 1c
    var last = w[w.length - 1];
    if ((last === "y" || last === "Y") && w.length > 2 && !isV(w[w.length - 2])) w[w.length - 1] = "i";

    // Step 2
    var m2 = longestOf(w, STEP2.map(function (r) { return r[0]; }));
    if (m2 !== null && w.length - m2.length >= p1) {
      var r2 = STEP2.find(function (r) { return r[0] === m2; })[1];
      var at = w.length - m2.length;
      if (m2 === "ogi") { if (w[at - 1] === "l") set(3, "og"); }
      else if (m2 === "li") { if ("cdeghkmnrt".indexOf(w[at - 1]) >= 0 && at > 0) w.length -= 2; }
      else set(m2.length, r2);
    }

    // Step 3
    var m3 = longestOf(w, STEP3.map(function (r) { return r[0]; }));
    if (m3 !== null && w.length - m3.length >= p1) {
      if (m3 === "ative") { if (w.length - 5 >= p2) w.length -= 5; }
      else set(m3.length, STEP3.find(function (r) { return r[0] === m3; })[1]);
    }

    // Step 4
    var m4 = longestOf(w, STEP4);
    if (m4 !== null && w.length - m4.length >= p2) {
      var at4 = w.length - 3;
      if (m4 !== "ion") w.length -= m4.length;
      else if (w[at4 - 1] === "s" || w[at4 - 1] === "t") w.length -= 3;
    }

    // Step 5
    if (ends("e")) {
      var n = w.length - 1;
      if (n >= p2 || (n >= p1 && !shortv(n))) w.length -= 1;
    } else if (ends("l")) {
      if (w.length - 1 >= p2 && w[w.length - 2] === "l") w.length -= 1;
    }
    return finish(w, yFound);
  }

  function longestOf(w, list) {
    var best = null;
    var joined = w.join("");
    for (var s of list) {
      if (joined.endsWith(s) && (best === null || s.length > best.length)) best = s;
    }
    return best;
  }

  function finish(w, yFound) {
    var s = w.join("");
    return yFound ? s.replace(/Y/g, "y") : s;
  }

  /* ---- the index ---- */

  var scripts = {};
  var meta = null, keys = null, maxKey = 0;
  var parts = {}, docs = {};
  var base = "";

  window.sitegenSearch = {
    meta: function (m) { meta = m; keys = new Set(m.keys); m.keys.forEach(function (k) { maxKey = Math.max(maxKey, Array.from(k).length); }); },
    terms: function (key, map) { parts[key] = map; },
    docs: function (n, rows) { docs[n] = rows; },
    words: function (text) {
      return split(fold(text)).map(function (t) { return t.word; }).filter(keep).map(stem);
    }
  };

  /* Loads a part once, as a script; resolves when it has run (or failed:
     a missing part is as good as an empty one). */
  function load(name) {
    if (!scripts[name]) {
      scripts[name] = new Promise(function (resolve) {
        var s = document.createElement("script");
        s.src = base + name;
        s.onload = s.onerror = function () { resolve(); };
        document.head.appendChild(s);
      });
    }
    return scripts[name];
  }

  function partName(key) {
    return "k-" + Array.from(key).map(function (c) { return c.codePointAt(0).toString(16); }).join("-") + ".js";
  }

  /* The key of the part holding `term`: the longest key it begins with. */
  function keyOf(term) {
    var cs = Array.from(term);
    for (var n = Math.min(cs.length, maxKey); n >= 0; n--) {
      var k = cs.slice(0, n).join("");
      if (keys.has(k)) return k;
    }
    return null;
  }

  function decode(s) {
    var out = [], v = 0, shift = 0, id = 0;
    for (var i = 0; i < s.length; i++) {
      var d = DIGITS.indexOf(s[i]);
      v += (d & 31) * Math.pow(2, shift);
      shift += 5;
      if (d < 32) {
        id += Math.floor(v / 4);
        out.push(id, v % 4);
        v = 0;
        shift = 0;
      }
    }
    return out;
  }

  /* The query's words, each stemmed. A long stem also finds the words it
     begins (санкц: санкционный); the last word, while still being typed,
     finds the words its letters begin. */
  var LONG_STEM = 5;
  function parse(q, typing) {
    var words = split(fold(q)).map(function (t) { return t.word; }).filter(keep);
    return words.map(function (w, i) {
      var s = stem(w), prefixes = [];
      if (Array.from(s).length >= LONG_STEM) prefixes.push(s);
      if (typing && i === words.length - 1 && Array.from(w).length >= 3 && w !== s) prefixes.push(w);
      return { stem: s, prefixes: prefixes };
    });
  }

  function partsFor(word) {
    var need = [];
    var k = keyOf(word.stem);
    if (k !== null) need.push(k);
    word.prefixes.forEach(function (prefix) {
      var pk = keyOf(prefix);
      if (pk !== null) need.push(pk);
      meta.keys.forEach(function (key) { if (key.startsWith(prefix)) need.push(key); });
    });
    return need;
  }

  /* Each document matching the word, with its best weight. */
  function matches(word) {
    var found = new Map();
    var add = function (p) {
      var list = decode(p);
      for (var i = 0; i < list.length; i += 2) found.set(list[i], Math.max(found.get(list[i]) || 0, list[i + 1]));
    };
    var k = keyOf(word.stem);
    if (k !== null && parts[k] && Object.prototype.hasOwnProperty.call(parts[k], word.stem)) add(parts[k][word.stem]);
    if (word.prefixes.length) {
      var n = 0, seen = new Set([word.stem]);
      for (var key of partsFor(word)) {
        for (var t in parts[key] || {}) {
          if (seen.has(t) || !word.prefixes.some(function (p) { return t.startsWith(p); })) continue;
          seen.add(t);
          if (n++ < 200) add(parts[key][t]);
        }
      }
    }
    return found;
  }

  /* Documents with every word, best first: a word counts by how rare it
     is and where it stands (title, summary, body); equals newest first. */
  function rank(words) {
    var scores = null;
    words.forEach(function (w) {
      var m = matches(w);
      var idf = Math.log(1 + meta.docs / Math.max(1, m.size));
      var next = new Map();
      m.forEach(function (weight, id) {
        if (scores === null || scores.has(id)) next.set(id, (scores ? scores.get(id) : 0) + weight * idf);
      });
      scores = next;
    });
    var ids = Array.from(scores ? scores.keys() : []);
    ids.sort(function (a, b) { return scores.get(b) - scores.get(a) || a - b; });
    return ids;
  }

  /* ---- the page ---- */

  function el(tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text !== undefined) e.textContent = text;
    return e;
  }

  /* `text` with the words the query found marked. */
  function marked(tag, text, words) {
    var e = el(tag);
    var stems = new Set(words.map(function (w) { return w.stem; }));
    var prefixes = [].concat.apply([], words.map(function (w) { return w.prefixes; }));
    var folded = fold(text);
    /* Folding keeps each character in place but for the few it drops or
       joins (stress marks, a decomposed «й»): a word's place in the folded
       text is its place in the text whenever the two are as long. */
    var from = 0;
    if (folded.length === text.length) {
      split(folded).forEach(function (t) {
        var st = keep(t.word) ? stem(t.word) : null;
        var hit = st !== null && (stems.has(st) || prefixes.some(function (p) { return st.startsWith(p) || t.word.startsWith(p); }));
        if (!hit) return;
        e.appendChild(document.createTextNode(text.slice(from, t.at)));
        e.appendChild(el("mark", null, text.slice(t.at, t.end)));
        from = t.end;
      });
    }
    e.appendChild(document.createTextNode(text.slice(from)));
    return e;
  }

  function start() {
    var form = document.getElementById("search-form");
    if (!form) return;
    var input = form.querySelector("input[name=q]");
    var status = document.getElementById("search-status");
    var list = document.getElementById("search-results");
    var more = document.getElementById("search-more");
    base = form.getAttribute("data-parts");
    var texts = form.dataset;
    var lang = document.documentElement.lang || "en";
    var plural = new Intl.PluralRules(lang);
    var dates = new Intl.DateTimeFormat(lang, { day: "numeric", month: "long", year: "numeric", timeZone: "UTC" });
    var run = 0, shown = 0, found = [], words = [];
    document.documentElement.classList.add("search-ready");

    function count(n) {
      var t = texts["count" + plural.select(n).replace(/^./, function (c) { return c.toUpperCase(); })] || texts.countOther;
      return t.replace("{n}", n.toLocaleString(lang));
    }

    function show(upTo, mine) {
      var need = new Set();
      for (var i = shown; i < upTo && i < found.length; i++) need.add(Math.floor(found[i] / meta.per));
      return Promise.all(Array.from(need).map(function (n) { return load("d-" + n + ".js"); })).then(function () {
        if (mine !== run) return;
        for (; shown < upTo && shown < found.length; shown++) {
          var id = found[shown];
          var row = (docs[Math.floor(id / meta.per)] || [])[id % meta.per];
          if (!row) continue;
          var li = el("li", "result");
          var h = el("h2", "result__title");
          var a = marked("a", row[1], words);
          a.href = row[0];
          h.appendChild(a);
          li.appendChild(h);
          var info = el("p", "result__meta");
          var time = el("time", null, dates.format(new Date(row[2] + "T12:00:00Z")));
          time.setAttribute("datetime", row[2]);
          info.appendChild(time);
          if (row[3]) info.appendChild(document.createTextNode(" · " + row[3]));
          li.appendChild(info);
          if (row[4]) li.appendChild(marked("p", row[4], words)).className = "result__summary";
          list.appendChild(li);
        }
        more.hidden = shown >= found.length;
      });
    }

    function search(q, typing) {
      var mine = ++run;
      words = parse(q, typing);
      list.textContent = "";
      shown = 0;
      found = [];
      more.hidden = true;
      if (!words.length) {
        status.textContent = q.trim() ? texts.none : "";
        return Promise.resolve();
      }
      status.textContent = texts.loading;
      var need = new Set();
      words.forEach(function (w) { partsFor(w).forEach(function (k) { need.add(partName(k)); }); });
      return Promise.all(Array.from(need).map(load)).then(function () {
        if (mine !== run) return;
        /* How long the answer took once the terms' parts were in: kept
           for the benchmark (bench/search.py) and anyone curious. */
        var t0 = performance.now();
        found = rank(words);
        status.textContent = found.length ? count(found.length) : texts.none;
        return show(SHOWN, mine).then(function () {
          window.sitegenSearch.last = { query: q, results: found.length, ms: performance.now() - t0 };
        });
      });
    }

    function remember(q) {
      try {
        var url = new URL(window.location.href);
        if (q) url.searchParams.set("q", q); else url.searchParams.delete("q");
        window.history.replaceState(null, "", url.href);
      } catch (e) { /* a file:// page may refuse: the search still runs */ }
    }

    var timer = null;
    input.addEventListener("input", function () {
      clearTimeout(timer);
      timer = setTimeout(function () { search(input.value, !/\s$/.test(input.value)); remember(input.value.trim()); }, 120);
    });
    form.addEventListener("submit", function (ev) {
      ev.preventDefault();
      clearTimeout(timer);
      search(input.value, false);
      remember(input.value.trim());
    });
    more.addEventListener("click", function () { show(shown + SHOWN, run); });

    load("meta.js").then(function () {
      if (!meta) { status.textContent = texts.failed; return; }
      var q = new URLSearchParams(window.location.search).get("q") || "";
      if (q) input.value = q;
      return search(q, false);
    });
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
