import type { ParsedLine } from '../parsed.js';
import type { JsonFamily } from './family.js';

type Rec = Record<string, unknown>;

/** A property value as Serilog renders it into a message: strings quoted (unless `:l`), the rest as JSON. */
function renderValue(v: unknown, format: string | undefined): string {
  if (typeof v === 'string') return format === 'l' ? v : JSON.stringify(v);
  if (v === null) return 'null';
  if (typeof v === 'object') return JSON.stringify(v);
  return String(v);
}

/**
 * Renders a message template (`Hello, {User}`, `{@Position}`, `{$X}`, `{N:x8}`, `{N,5}`, `{{`/`}}`)
 * over the record's properties. Tokens with a format use the pre-rendered `@r` values in order; a
 * token whose property is absent stays as written. Linear in the template, no regex.
 */
function renderTemplate(template: string, props: Rec, renderings: unknown): string {
  const rendered = Array.isArray(renderings) ? renderings : [];
  let formatted = 0;
  let out = '';
  let i = 0;
  while (i < template.length) {
    const c = template[i]!;
    if (c === '{' && template[i + 1] === '{') {
      out += '{';
      i += 2;
      continue;
    }
    if (c === '}' && template[i + 1] === '}') {
      out += '}';
      i += 2;
      continue;
    }
    if (c !== '{') {
      out += c;
      i++;
      continue;
    }
    const end = template.indexOf('}', i + 1);
    if (end === -1) {
      out += template.slice(i);
      break;
    }
    const token = template.slice(i + 1, end);
    let name = token;
    if (name.startsWith('@') || name.startsWith('$')) name = name.slice(1);
    const colon = name.indexOf(':');
    const format = colon === -1 ? undefined : name.slice(colon + 1);
    if (colon !== -1) name = name.slice(0, colon);
    const comma = name.indexOf(',');
    if (comma !== -1) name = name.slice(0, comma);
    if (format !== undefined && format !== 'l' && typeof rendered[formatted] === 'string') {
      out += rendered[formatted] as string;
      formatted++;
    } else if (name !== '' && Object.hasOwn(props, name)) {
      if (format !== undefined && format !== 'l') formatted++;
      out += renderValue(props[name], format);
    } else {
      out += `{${token}}`;
    }
    i = end + 1;
  }
  return out;
}

/**
 * Serilog's compact JSON (CLEF, `Serilog.Formatting.Compact`; also Seq and other CLEF writers):
 * `@t` time, `@m` message or `@mt` template, `@l` level (absent means Information), `@x`
 * exception text, `@tr`/`@sp` trace and span. Properties stay in attributes (`@mt`, `@i`, `@r`
 * too, so an event type can still be grouped on).
 */
export const serilog: JsonFamily = {
  title: 'Serilog compact JSON (CLEF)',
  markers: ['@t'],
  match: (o) => typeof o['@t'] === 'string' && (typeof o['@mt'] === 'string' || typeof o['@m'] === 'string'),
  recognisedBy: '`@t` with `@mt` or `@m`',
  mapping: {
    format: 'serilog',
    defaultLevel: 'info',
    fields: [
      { role: 'time', path: '@t' },
      { role: 'level', path: '@l' },
      { role: 'message', path: '@m' },
      { role: 'logger', path: 'SourceContext' },
      { role: 'trace', path: '@tr' },
      { role: 'span', path: '@sp' },
      { role: 'error', path: '@x' },
    ],
  },
  finish(out: ParsedLine, o: Rec) {
    if (typeof o['@m'] !== 'string' && typeof o['@mt'] === 'string') {
      out.message = renderTemplate(o['@mt'], o, o['@r']);
    }
  },
  finishDoc: 'without `@m`, `@mt` is rendered with the properties (and `@r` renderings) into `message`',
};
