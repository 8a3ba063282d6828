/**
 * The rules `sluice start` runs when no rules file is given: the default secret pack (card
 * numbers, JWTs, bearer tokens, AWS keys, secret-looking keys) plus masking of email addresses
 * and dropping successful health checks — so the demo shows redaction and named drops.
 */
export const START_RULES_YAML = `
version: 1
rules:
  - name: drop-health-checks
    kind: drop
    drop_when:
      and:
        - { field: attributes.http.path, matches: "^/(health|ready)" }
        - { field: attributes.http.status, lt: 400 }
  - name: mask-emails
    kind: redact
    detectors: [email]
    action: mask
    mask_text: "[REDACTED:email]"
`;
