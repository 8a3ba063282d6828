/**
 * A stack trace as the runtime wrote it: one frame per line (real line breaks, never a JSON
 * string's `\n`), in the error colours. Used by the transaction timeline and the event detail.
 */
export function StackTrace({ text, class: extra }: { text: string; class?: string }) {
  return (
    <pre class={extra ? `stack ${extra}` : 'stack'} data-testid="stack-trace">
      {text}
    </pre>
  );
}
