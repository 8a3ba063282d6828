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
  for (const data of datas) {
    const env = JSON.parse(gunzipSync(Buffer.from(data, 'base64')).toString('utf8')) as {
      logEvents: { message: string }[];
    };
    for (const ev of env.logEvents) {
      let value: unknown = ev.message;
      if (ev.message.charCodeAt(0) === 123) {
        try {
          value = JSON.parse(ev.message);
        } catch {
          value = ev.message;
        }
      }
      chars += JSON.stringify(value).length;
    }
  }
  return chars;
}
