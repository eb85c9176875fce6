// The manifest editor's CodeMirror 6 view, bundled by src/editor/build.mjs into
// dist/editor/cm-editor.js and loaded lazily after first paint (web.js `loadEditor`).
// The <textarea> it replaces stays the source of truth for the Rust side: edits are written
// back to it with an `input` event (debounced: a keystroke in a large text costs CodeMirror's
// own incremental work only; Apply, blur and leaving the page write at once), so the draft and
// Apply work as before.
//
// Bounded: a change that would make the text longer than `maxChars` (a 9 MB paste) is refused
// before CodeMirror builds it, and `onRefused` says where and what (src/panels/editor.rs shows it).
//
// Strict CSP (style-src 'self', no 'unsafe-inline'): CodeMirror's style-mod mounts its theme
// rules in a <style> element, which that policy blocks. StyleModule.mount is replaced so the same
// rules go, through the CSSOM, into the page's own (same-origin, initially empty) stylesheet
// style/editor.css, which index.html links before main.css: the cascade order is what the
// <style> at the top of <head> gave, and nothing inline is ever created.
import { StyleModule } from 'style-mod';
import { EditorState } from '@codemirror/state';
import { EditorView, keymap, lineNumbers, highlightActiveLine, drawSelection } from '@codemirror/view';
import { defaultKeymap, history, historyKeymap, indentWithTab } from '@codemirror/commands';
import { syntaxHighlighting, HighlightStyle, indentOnInput, bracketMatching } from '@codemirror/language';
import { tags } from '@lezer/highlight';
import { linter, lintGutter, setDiagnostics } from '@codemirror/lint';
import { yaml } from '@codemirror/lang-yaml';

// Colours from the page's theme tokens (style/main.css), so light and dark both keep contrast.
const highlight = HighlightStyle.define([
  { tag: [tags.propertyName, tags.definition(tags.propertyName)], color: 'var(--cm-key)' },
  { tag: [tags.string, tags.special(tags.string)], color: 'var(--cm-string)' },
  { tag: [tags.number, tags.bool, tags.null, tags.keyword], color: 'var(--cm-atom)' },
  { tag: [tags.comment, tags.lineComment], color: 'var(--cm-comment)', fontStyle: 'italic' },
  { tag: [tags.meta, tags.punctuation, tags.separator], color: 'var(--cm-punct)' },
]);
const theme = EditorView.theme({
  '&': { backgroundColor: 'var(--panel)', color: 'var(--fg)', border: '1px solid var(--border)', borderRadius: '6px' },
  '.cm-gutters': { backgroundColor: 'var(--bg)', color: 'var(--muted)', borderRight: '1px solid var(--border)' },
  '.cm-activeLine': { backgroundColor: 'var(--cm-active)' },
  '.cm-content': { caretColor: 'var(--fg)' },
  '&.cm-focused': { outline: '3px solid var(--focus)' },
});

// StyleModule.mount for the document: every mounted module's rules, in order, in one of the
// page's own stylesheets. Shadow roots (none here) keep style-mod's constructed sheets.
const originalMount = StyleModule.mount;
const mounted = [];
function pageSheet() {
  for (const sheet of document.styleSheets) {
    const href = sheet.href ?? '';
    if (/\/editor(-[0-9a-f]+)?\.css(\?|$)/.test(href)) return sheet;
  }
  return null;
}
StyleModule.mount = (root, modules, options) => {
  const sheet = root === document || root === undefined ? pageSheet() : null;
  if (!sheet) return originalMount.call(StyleModule, root, modules, options);
  // As style-mod orders them: a module mounted again moves after the ones given before it.
  let j = 0;
  for (const mod of Array.isArray(modules) ? modules : [modules]) {
    let at = mounted.indexOf(mod);
    if (at > -1 && at < j) {
      mounted.splice(at, 1);
      j -= 1;
      at = -1;
    }
    if (at === -1) {
      mounted.splice(j, 0, mod);
      j += 1;
    } else {
      j = at + 1;
    }
  }
  while (sheet.cssRules.length) sheet.deleteRule(sheet.cssRules.length - 1);
  for (const mod of mounted) {
    for (const rule of mod.rules) {
      // A rule this browser does not parse is dropped, as it would be from a <style>.
      try {
        sheet.insertRule(rule, sheet.cssRules.length);
      } catch {}
    }
  }
};

// The longest text the editor takes (UTF-16 code units, what JavaScript counts).
const DEFAULT_MAX = 1 << 20;
// How long the editor waits after the last change before telling the Rust side.
const SYNC_MS = 250;

/** `options`: {maxChars, onRefused({line, col, chars, total, sample})}. */
export function mount(textarea, onApply, options = {}) {
  const maxChars = options.maxChars ?? DEFAULT_MAX;
  const onRefused = options.onRefused ?? (() => {});
  let timer = null;
  let view = null;
  const flush = () => {
    if (timer !== null) {
      clearTimeout(timer);
      timer = null;
    }
    if (!view) return;
    const text = view.state.doc.toString();
    if (textarea.value === text) return;
    textarea.value = text;
    textarea.dispatchEvent(new Event('input', { bubbles: true }));
  };
  const sync = EditorView.updateListener.of((u) => {
    if (!u.docChanged) return;
    if (timer !== null) clearTimeout(timer);
    timer = setTimeout(flush, SYNC_MS);
  });
  // What a refused change would have inserted, and where: the first insertion's position.
  const refuse = (state, changes) => {
    let chars = 0;
    let at = -1;
    let sample = '';
    changes.iterChanges((fromA, _toA, _fromB, _toB, text) => {
      chars += text.length;
      if (at < 0 && text.length > 0) {
        at = fromA;
        sample = text.sliceString(0, 80);
      }
    });
    const line = state.doc.lineAt(Math.max(0, at));
    onRefused({ line: line.number, col: Math.max(0, at) - line.from + 1, chars, total: changes.newLength, sample });
  };
  // A paste is looked at before CodeMirror splits it into lines (9 MB of it would take seconds).
  const pasteGuard = EditorView.domEventHandlers({
    paste(event, v) {
      const text = event.clipboardData?.getData('text/plain') ?? '';
      const sel = v.state.selection.main;
      const total = v.state.doc.length - (sel.to - sel.from) + text.length;
      if (total <= maxChars) return false;
      event.preventDefault();
      const line = v.state.doc.lineAt(sel.from);
      onRefused({ line: line.number, col: sel.from - line.from + 1, chars: text.length, total, sample: text.slice(0, 80) });
      return true;
    },
  });
  const cap = EditorState.transactionFilter.of((tr) => {
    if (!tr.docChanged || tr.changes.newLength <= maxChars) return tr;
    refuse(tr.startState, tr.changes);
    return [];
  });
  const apply = () => {
    flush();
    onApply();
    return true;
  };
  view = new EditorView({
    state: EditorState.create({
      doc: textarea.value,
      extensions: [
        lineNumbers(),
        history(),
        drawSelection(),
        highlightActiveLine(),
        indentOnInput(),
        bracketMatching(),
        syntaxHighlighting(highlight),
        theme,
        EditorView.lineWrapping,
        yaml(),
        lintGutter(),
        linter(null),
        keymap.of([{ key: 'Mod-Enter', run: apply }, indentWithTab, ...defaultKeymap, ...historyKeymap]),
        EditorView.contentAttributes.of({ 'aria-label': textarea.getAttribute('aria-label') || 'YAML', 'data-testid': 'editor-cm' }),
        EditorView.domEventHandlers({ blur: () => flush() }),
        pasteGuard,
        cap,
        sync,
      ],
    }),
  });
  textarea.insertAdjacentElement('afterend', view.dom);
  textarea.hidden = true;
  // Leaving the page (or hiding it) keeps the last keystrokes in the draft.
  addEventListener('pagehide', flush);
  document.addEventListener('visibilitychange', () => document.visibilityState === 'hidden' && flush());
  return {
    setText(text) {
      if (view.state.doc.toString() !== text) {
        // Text from the Rust side replaces what is pending here.
        if (timer !== null) clearTimeout(timer);
        timer = null;
        view.dispatch({ changes: { from: 0, to: view.state.doc.length, insert: text } });
      }
    },
    // Write pending edits to the textarea now (before Apply reads it).
    flush,
    // [{line, col, severity, message}], 1-based line and column.
    setDiagnostics(list) {
      const doc = view.state.doc;
      const diags = [];
      for (const d of list) {
        if (!(d.line >= 1 && d.line <= doc.lines)) continue;
        const line = doc.line(d.line);
        const from = Math.min(line.from + Math.max(0, d.col - 1), line.to);
        diags.push({ from, to: Math.max(from, line.to), severity: d.severity, message: d.message });
      }
      view.dispatch(setDiagnostics(view.state, diags));
    },
    goto(lineNo, col) {
      const doc = view.state.doc;
      if (!(lineNo >= 1 && lineNo <= doc.lines)) return;
      const line = doc.line(lineNo);
      const pos = Math.min(line.from + Math.max(0, col - 1), line.to);
      view.dispatch({ selection: { anchor: pos }, scrollIntoView: true });
      view.focus();
    },
  };
}
