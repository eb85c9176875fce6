// The manifest editor's CodeMirror 6 view, bundled by src/editor/build.mjs into
// dist/editor/cm-editor.js and loaded lazily after first paint (web.js `loadEditor`).
// The <textarea> it replaces stays the source of truth for the Rust side: every edit is
// written back to it with an `input` event, so the draft and Apply work as before.
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

export function mount(textarea, onApply) {
  const sync = EditorView.updateListener.of((u) => {
    if (!u.docChanged) return;
    textarea.value = u.state.doc.toString();
    textarea.dispatchEvent(new Event('input', { bubbles: true }));
  });
  const apply = () => {
    onApply();
    return true;
  };
  const view = new EditorView({
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
        sync,
      ],
    }),
  });
  textarea.insertAdjacentElement('afterend', view.dom);
  textarea.hidden = true;
  return {
    setText(text) {
      if (view.state.doc.toString() !== text) {
        view.dispatch({ changes: { from: 0, to: view.state.doc.length, insert: text } });
      }
    },
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
