/**
 * Exact JSON text of objects framed from templates, without serializing every value of every object.
 *
 * A generated noise event is a copy of its (endpoint, process) template with a few values replaced: of 129 values
 * about 13 differ (time, id, the fields of its kind). So each template's JSON text is made once, and an event's
 * text is that text with only the differing values spliced in: every run of keys whose values are still the
 * template's (`===`) is one slice of the template text, and only the values that differ are JSON.stringify'd.
 * The result is exactly JSON.stringify(event), same key order and same escaping, for any event that has exactly
 * the given keys in that order (as objects built by one object literal do) and JSON primitives as values.
 */

/** A template's JSON text and where each of its values sits in it. */
interface TemplateText {
  readonly text: string;
  /** The template's values in key order: what an event's values are compared with. */
  readonly values: readonly unknown[];
  /** Offset in `text` of each value's first character, and of the character after its last. */
  readonly starts: Int32Array;
  readonly ends: Int32Array;
}

type Writer = (event: object, template: TemplateText) => string;

export class FramedJson {
  readonly #keys: readonly string[];
  readonly #write: Writer;
  /** Per template, made on first use; null when the template cannot be spliced (a value JSON would drop). */
  readonly #texts = new WeakMap<object, TemplateText | null>();

  /** `keys`: every key of the events, in their order. */
  constructor(keys: readonly string[]) {
    this.#keys = keys;
    this.#write = compileWriter(keys);
  }

  /** JSON.stringify(event), exactly, for an event that is a copy of `template` with some values replaced. */
  stringify(event: object, template: object): string {
    let text = this.#texts.get(template);
    if (text === undefined) {
      text = templateText(template as Record<string, unknown>, this.#keys);
      this.#texts.set(template, text);
    }
    return text === null ? JSON.stringify(event) : this.#write(event, text);
  }
}

function templateText(template: Record<string, unknown>, keys: readonly string[]): TemplateText | null {
  const starts = new Int32Array(keys.length);
  const ends = new Int32Array(keys.length);
  let text = '{';
  for (const [i, key] of keys.entries()) {
    const value = JSON.stringify(template[key]);
    // undefined (or a function) has no JSON text: JSON.stringify leaves the key out, so there is nothing to splice.
    if (value === undefined) return null;
    text += `${i === 0 ? '' : ','}${JSON.stringify(key)}:`;
    starts[i] = text.length;
    text += value;
    ends[i] = text.length;
  }
  return { text: `${text}}`, values: keys.map((key) => template[key]), starts, ends };
}

/**
 * Compiles the writer for one key list into straight-line code with one `e[key]` read per key, as
 * fast-json-stringify does: each read is then a monomorphic property load, where a loop over the keys would make
 * it a megamorphic keyed load (measured: the loop costs about 1 us more per event). The keys are our own
 * identifiers, and are embedded as JSON string literals all the same. A value whose JSON text is undefined would
 * make JSON.stringify drop its key, so the writer then gives the whole event to JSON.stringify.
 */
function compileWriter(keys: readonly string[]): Writer {
  const reads = keys.map(
    (key, i) => `
  v = e[${JSON.stringify(key)}];
  if (v !== values[${i}]) {
    json = JSON.stringify(v);
    if (json === undefined) return JSON.stringify(e);
    out += text.slice(from, starts[${i}]) + json;
    from = ends[${i}];
  }`,
  );
  const body = `const { text, values, starts, ends } = t;
  let out = '', from = 0, v, json;${reads.join('')}
  return out + text.slice(from);`;
  return new Function('e', 't', body) as Writer;
}
