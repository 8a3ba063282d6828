import { z } from 'zod';
import { describeValue } from '../../core/errors.js';
import { DEAD_LETTER_ERROR_CODES, DeadLetterError } from './errors.js';
import { DEAD_LETTER_STAGES, type DeadLetter } from './types.js';

/** The stored form of a dead letter (validated when read back). */
export const DeadLetterSchema = z
  .object({
    id: z.string().min(1).describe('Stable id of the letter (the document `_id` for sink letters).'),
    at: z.string().describe('When it was dead-lettered (ISO 8601).'),
    stage: z.enum(DEAD_LETTER_STAGES).describe('The stage that gave up on it.'),
    error: z
      .object({
        code: z.string().describe('Stable error code.'),
        message: z.string().describe('What went wrong.'),
      })
      .strict(),
    original: z.unknown().describe('The LogEvent, or `{ data: base64 }` for an undecodable record.'),
  })
  .strict();

/** Serialises a letter as one JSON line (no trailing newline). */
export function encodeLetter(letter: DeadLetter): string {
  return JSON.stringify(letter);
}

/** Parses one stored letter; `where` says where it came from (line number, S3 key, message id). */
export function decodeLetter(text: string, where: string): DeadLetter {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new DeadLetterError(
      DEAD_LETTER_ERROR_CODES.malformed,
      `${where}: expected a JSON dead letter, got ${describeValue(text)} that is not JSON`,
    );
  }
  const res = DeadLetterSchema.safeParse(value);
  if (!res.success) {
    const problems = res.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ');
    throw new DeadLetterError(
      DEAD_LETTER_ERROR_CODES.malformed,
      `${where}: not a dead letter (${problems}); expected {id, at, stage, error:{code,message}, original}`,
    );
  }
  return res.data as DeadLetter;
}
