import { defineDetector, regexSpans } from './detector.js';
import { F_A } from './features.js';

const AWS_KEY_ID = /\b(?:A3T[A-Z0-9]|AKIA|ASIA|ABIA|ACCA|AGPA|AIDA|AROA|AIPA|ANPA|ANVA|APKA)[A-Z0-9]{16}\b/g;

export const awsAccessKeyId = defineDetector({
  id: 'aws_access_key_id',
  description: 'AWS access key ids (`AKIA…`, `ASIA…` and the other 4-letter prefixes, 20 characters)',
  find: (s) => (s.indexOf('A') < 0 ? undefined : regexSpans(AWS_KEY_ID, s)),
  minLength: 20,
  needs: F_A,
  regexes: [AWS_KEY_ID],
  defaultPack: true,
  samples: {
    redacts: [['key AKIAIOSFODNN7EXAMPLE used', 'key # used']],
    ignores: ['AKIA too short'],
    smallest: 'AKIAIOSFODNN7EXAMPLE',
  },
});
