/**
 * A random v4 UUID. `crypto.randomUUID` exists only in secure contexts; an EHR
 * page served over plain http still has `getRandomValues`, so fall back to it.
 */
export function randomUuid(): string {
  const c = globalThis.crypto;
  if (typeof c.randomUUID === 'function') return c.randomUUID();
  // Each template digit d becomes d XOR random bits; the 4 and the 8 keep the version and variant bits.
  return '10000000-1000-4000-8000-100000000000'.replace(/[018]/g, (d) =>
    (Number(d) ^ (c.getRandomValues(new Uint8Array(1))[0]! & (15 >> (Number(d) / 4)))).toString(16),
  );
}
