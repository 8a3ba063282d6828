import { authHeader } from './auth-header.js';
import { awsAccessKeyId } from './aws-access-key-id.js';
import { awsSecretAccessKey } from './aws-secret-access-key.js';
import { credentialAssignment } from './credential-assignment.js';
import type { Detector } from './detector.js';
import { email } from './email.js';
import { ipv4 } from './ipv4.js';
import { ipv6 } from './ipv6.js';
import { jwt } from './jwt.js';
import { paymentCard } from './payment-card.js';
import { phone } from './phone.js';
import { privateKey } from './private-key.js';

/**
 * Every built-in detector, one record each (one file per detector in this folder). The order is
 * the order of the generated reference and of the default pack. Adding a detector: a file here
 * and one line in this list; the tables of `../detectors.ts` and `../prescan.ts`, the default
 * pack, the reference and the tests are derived from it.
 */
export const DETECTOR_LIST = [
  email,
  paymentCard,
  jwt,
  awsAccessKeyId,
  awsSecretAccessKey,
  authHeader,
  privateKey,
  credentialAssignment,
  ipv4,
  ipv6,
  phone,
] as const satisfies readonly Detector[];

/** The id of a built-in detector. */
export type DetectorId = (typeof DETECTOR_LIST)[number]['id'];
