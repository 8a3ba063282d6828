import type { JSX } from 'preact';

function render(value: unknown, indent: number): JSX.Element {
  if (value === null) return <span class="j-null">null</span>;
  if (typeof value === 'string') return <span class="j-str">{JSON.stringify(value)}</span>;
  if (typeof value === 'number') return <span class="j-num">{value}</span>;
  if (typeof value === 'boolean') return <span class="j-bool">{String(value)}</span>;
  const pad = '  '.repeat(indent + 1);
  const end = '  '.repeat(indent);
  if (Array.isArray(value)) {
    if (value.length === 0) return <span>[]</span>;
    return (
      <span>
        {'[\n'}
        {value.map((v, i) => (
          <span key={i}>
            {pad}
            {render(v, indent + 1)}
            {i < value.length - 1 ? ',\n' : '\n'}
          </span>
        ))}
        {end}]
      </span>
    );
  }
  const entries = Object.entries(value as Record<string, unknown>);
  if (entries.length === 0) return <span>{'{}'}</span>;
  return (
    <span>
      {'{\n'}
      {entries.map(([k, v], i) => (
        <span key={k}>
          {pad}
          <span class="j-key">{JSON.stringify(k)}</span>: {render(v, indent + 1)}
          {i < entries.length - 1 ? ',\n' : '\n'}
        </span>
      ))}
      {end}
      {'}'}
    </span>
  );
}

/** A syntax-coloured, indented JSON document (text only: no HTML from the event is interpreted). */
export function JsonView({ value }: { value: unknown }) {
  return <pre class="json">{render(value, 0)}</pre>;
}
