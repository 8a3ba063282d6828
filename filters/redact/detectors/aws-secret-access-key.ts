import { defineDetector, hasAssignment, regexSpans } from './detector.js';
import { F_CRED } from './features.js';

const AWS_SECRET =
  /(?:aws_?secret_?(?:access_?)?key|secret_?access_?key)(?:["']?\s{0,5}[:=]\s{0,5}["']?)([A-Za-z0-9/+]{40})(?![A-Za-z0-9/+])/gi;

export const awsSecretAccessKey = defineDetector({
  id: 'aws_secret_access_key',
  description:
    'AWS secret access keys (40 characters) written after a name such as `aws_secret_access_key=` or `SecretAccessKey:`',
  find: (s) => (hasAssignment(s) && /ecret/i.test(s) ? regexSpans(AWS_SECRET, s, 1) : undefined),
  minLength: 53, // awssecretkey= + 40
  // The name ends in `key` right before the optional quote, spaces and separator: F_CRED's test.
  needs: F_CRED,
  regexes: [AWS_SECRET],
  defaultPack: true,
  samples: {
    redacts: [['aws_secret_access_key=wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY', 'aws_secret_access_key=#']],
    ignores: [],
    smallest: 'awssecretkey=wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY',
  },
});
