import { z } from 'zod';

/** One log event inside a CloudWatch Logs subscription payload. */
export const CwlLogEventSchema = z
  .object({
    id: z
      .union([z.string(), z.number().int().nonnegative().transform(String)])
      .describe(
        'CloudWatch Logs event id (a digit string; the moto emulator sends a number, converted to its digit string).',
      ),
    timestamp: z.number().describe('Event time, epoch milliseconds.'),
    message: z.string().describe('The raw log line.'),
  })
  .passthrough();

/**
 * A decoded CloudWatch Logs subscription `DATA_MESSAGE`: the envelope that flows from
 * `ingest/` to `transform/`.
 */
export const CwlDataMessageSchema = z.object({
  messageType: z.literal('DATA_MESSAGE'),
  owner: z.string().describe('AWS account id of the log group.'),
  logGroup: z.string(),
  logStream: z.string(),
  subscriptionFilters: z.array(z.string()),
  logEvents: z.array(CwlLogEventSchema),
  policyLevel: z.string().optional(),
});

/** One log event in its CloudWatch Logs envelope. */
export type CwlLogEvent = z.infer<typeof CwlLogEventSchema>;
/** A decoded `DATA_MESSAGE`. */
export type CwlEnvelope = z.infer<typeof CwlDataMessageSchema>;
