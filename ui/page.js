// Boussole's page set-up, run by layout.sidebar on each page: the app's style sheet in the document head (so a
// rerun never takes it away), the page's language on the html element, and Streamlit's own English strings in the
// page's language. No less-than sign may be followed by a letter here: Streamlit's sanitiser drops such a script.
// BOUSSOLE = {css, lang, words: [[english, french], ...]} is set just before this script.
(() => {
  let style = document.getElementById("boussole-style");
  if (!style) {
    style = document.createElement("style");
    style.id = "boussole-style";
    document.head.appendChild(style);
  }
  if (style.textContent !== BOUSSOLE.css) style.textContent = BOUSSOLE.css;
  document.documentElement.lang = BOUSSOLE.lang;

  // From the other language to this one: a whole text, or `{n}` (a number) inside a longer one. A single word
  // ("Upload", "Close") is swapped only in Streamlit's own controls, never in a value of the user's data.
  const CHROME = ['[data-testid="stFileUploaderDropzone"]', '[data-testid^="stElementToolbar"]',
    '[data-testid^="stDataFrame"][data-testid$="Menu"]', '[data-testid^="stMainMenu"]', '[data-testid="stToolbar"]',
    '[data-testid="stStatusWidget"]', '[data-testid="stConnectionStatus"]', '[role="tooltip"]'].join(", ");
  const escape = (text) => text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
  const rules = BOUSSOLE.words.map(([english, french]) => {
    const [from, to] = BOUSSOLE.lang === "fr" ? [english, french] : [french, english];
    return from.includes("{n}")
      ? {pattern: new RegExp(escape(from).replace("\\{n\\}", "(\\d+(?:[.,]\\d+)?)"), "g"),
         replacement: to.replace("{n}", "$1")}
      : {whole: from, replacement: to, word: !english.includes(" ")};
  });
  const convert = (text, element) => {
    const trimmed = text.trim();
    const chrome = Boolean(element && element.closest(CHROME));
    for (const rule of rules) {
      if (rule.whole !== undefined && trimmed === rule.whole && (chrome || !rule.word)) {
        return text.replace(trimmed, rule.replacement);
      }
    }
    for (const rule of rules) {
      if (rule.pattern) text = text.replace(rule.pattern, rule.replacement);
    }
    return text;
  };
  const ATTRIBUTES = ["aria-label", "title", "placeholder"];
  const translate = (root) => {
    if (root.nodeType === Node.TEXT_NODE) {
      const text = convert(root.nodeValue, root.parentElement);
      if (text !== root.nodeValue) root.nodeValue = text;
      return;
    }
    if (root.nodeType !== Node.ELEMENT_NODE || root.closest("svg, script, style")) return;
    for (const element of [root, ...root.querySelectorAll("[aria-label], [title], [placeholder]")]) {
      for (const name of ATTRIBUTES) {
        const value = element.getAttribute(name);
        if (value && convert(value, element) !== value) element.setAttribute(name, convert(value, element));
      }
    }
    // Charts' own text (SVG) is Boussole's already: only HTML text is walked.
    const walker = document.createTreeWalker(root, NodeFilter.SHOW_ELEMENT | NodeFilter.SHOW_TEXT, {
      acceptNode: (node) => node.nodeType === Node.ELEMENT_NODE
        ? (["svg", "SCRIPT", "STYLE"].includes(node.nodeName) ? NodeFilter.FILTER_REJECT : NodeFilter.FILTER_SKIP)
        : NodeFilter.FILTER_ACCEPT,
    });
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      const text = convert(node.nodeValue, node.parentElement);
      if (text !== node.nodeValue) node.nodeValue = text;
    }
  };
  window.boussoleTranslate = translate;  // the observer below always calls the latest rules
  if (!window.boussoleObserver) {
    window.boussoleObserver = new MutationObserver((records) => {
      for (const record of records) {
        if (record.type === "childList") record.addedNodes.forEach((node) => window.boussoleTranslate(node));
        else window.boussoleTranslate(record.target);
      }
    });
    window.boussoleObserver.observe(document.body, {subtree: true, childList: true, characterData: true,
                                                     attributes: true, attributeFilter: ATTRIBUTES});
  }
  translate(document.body);
})();
