import { gunzipSync } from 'node:zlib';

/**
 * The bare JSON floor of a pass over Kinesis record data (base64 of gzip CloudWatch Logs
 * payloads): base64 decode → gunzip → `JSON.parse` of the envelope → `JSON.parse` of each line
 * that starts with `{` → `JSON.stringify` of each value. No detection, no field mapping, no
 * validation, no I/O: the work any pipeline from these payloads to JSON documents cannot skip.
 * Returns the characters written, so the work cannot be optimised away.
 */
export function jsonFloorPass(datas: readonly string[]): number {
  let chars = 0;
  const count = (json: string): void => {
    chars += json.length;
  };
  for (const data of datas)
    jsonFloorOfEnvelope(gunzipSync(Buffer.from(data, 'base64')).toString('utf8'), count);
  return chars;
}

/**
 * The floor's work on one CloudWatch Logs envelope (JSON text): `JSON.parse` of the envelope and
 * of each line that starts with `{`, `JSON.stringify` of each value, handed to `emit`.
 */
export function jsonFloorOfEnvelope(text: string, emit: (json: string) => void): void {
  const env = JSON.parse(text) as { logEvents: { message: string }[] };
  for (const ev of env.logEvents) {
    let value: unknown = ev.message;
    if (ev.message.charCodeAt(0) === 123) {
      try {
        value = JSON.parse(ev.message);
      } catch {
        value = ev.message;
      }
    }
    emit(JSON.stringify(value));
  }
}
