// DOM building without HTML strings. Every piece of text — and names from uploaded files above
// all — goes in as a text node, so a school called `<img onerror=…>` shows literally and can
// never run. Nothing in web/ may use innerHTML/outerHTML/insertAdjacentHTML with data.

export type Child = Node | string | number | null | undefined | false | readonly Child[];
type Handler = (ev: Event) => void;
export type Attrs = Record<string, string | number | boolean | Handler | null | undefined>;

function append(el: Element | DocumentFragment, c: Child): void {
  if (c === null || c === undefined || c === false) return;
  if (Array.isArray(c)) { for (const x of c as readonly Child[]) append(el, x); return; }
  el.appendChild(c instanceof Node ? c : document.createTextNode(String(c)));
}

function setAttrs(el: Element, attrs: Attrs | null | undefined): void {
  if (!attrs) return;
  for (const [k, v] of Object.entries(attrs)) {
    if (v === null || v === undefined || v === false) continue;
    if (typeof v === 'function') el.addEventListener(k.replace(/^on/, ''), v);
    else if (v === true) el.setAttribute(k, '');
    else el.setAttribute(k, String(v));
  }
}

/** `h('td', { class: 'num' }, 12)` — an element whose children are nodes or text. */
export function h<K extends keyof HTMLElementTagNameMap>(tag: K, attrs?: Attrs | null, ...children: Child[]): HTMLElementTagNameMap[K] {
  const el = document.createElement(tag);
  setAttrs(el, attrs);
  append(el, children);
  return el;
}

export function clear(el: Element): void {
  while (el.firstChild) el.removeChild(el.firstChild);
}

export function mount(el: Element, ...children: Child[]): void {
  clear(el);
  append(el, children);
}

/** A labelled form control: the label text sits above the control. */
export function field(label: string, control: HTMLElement, hint?: string): HTMLLabelElement {
  return h('label', { class: 'field' }, h('span', { class: 'field-label' }, label), control, hint ? h('span', { class: 'field-hint' }, hint) : null);
}

export function select<T extends string>(options: readonly { value: T; label: string }[], value: T, onChange: (v: T) => void, attrs: Attrs = {}): HTMLSelectElement {
  const el = h('select', attrs, options.map((o) => h('option', { value: o.value, selected: o.value === value }, o.label)));
  el.addEventListener('change', () => {
    const o = options.find((x) => x.value === el.value);
    if (o) onChange(o.value);
  });
  return el;
}

/** Status pill: ok (green), warn (amber), bad (red), muted (grey). */
export type Tone = 'ok' | 'warn' | 'bad' | 'muted' | 'info';
export function pill(text: string, tone: Tone, title?: string): HTMLSpanElement {
  return h('span', { class: `pill pill-${tone}`, title }, text);
}

/** Traffic light dot with a text alternative (colour is never the only signal). */
export function light(tone: Tone, label: string): HTMLSpanElement {
  return h('span', { class: `light light-${tone}`, role: 'img', 'aria-label': label, title: label });
}

export function card(title: string | null, ...children: Child[]): HTMLElement {
  return h('section', { class: 'card' }, title ? h('h2', { class: 'card-title' }, title) : null, children);
}

export function kpi(label: string, value: string, sub?: Child, tone?: Tone, testid?: string): HTMLElement {
  return h('div', { class: `kpi${tone ? ` kpi-${tone}` : ''}`, 'data-testid': testid }, h('div', { class: 'kpi-label' }, label), h('div', { class: 'kpi-value' }, value), sub ? h('div', { class: 'kpi-sub' }, sub) : null);
}

export function notice(tone: Tone, ...children: Child[]): HTMLElement {
  return h('div', { class: `notice notice-${tone}`, role: tone === 'bad' ? 'alert' : 'status' }, children);
}

/**
 * A file chooser in the page's language (the native one speaks the browser's): a button, the
 * chosen names beside it, and the real input kept for forms and keyboard use.
 */
export function filePicker(buttonText: string, emptyText: string, attrs: Attrs): { el: HTMLElement; input: HTMLInputElement } {
  const input = h('input', { type: 'file', class: 'file-input', ...attrs });
  const names = h('span', { class: 'file-names muted' }, emptyText);
  input.addEventListener('change', () => {
    const list = Array.from(input.files ?? []).map((f) => f.name);
    names.textContent = list.length > 0 ? list.join('、') : emptyText;
  });
  const button = h('button', { type: 'button', class: 'btn', onclick: () => input.click() }, buttonText);
  return { el: h('span', { class: 'file-picker' }, input, button, names), input };
}
