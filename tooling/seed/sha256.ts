import { createHash } from 'node:crypto';

/** Lowercase hex SHA-256 of bytes, as the `documents.sha256` column holds it. */
export function sha256Hex(bytes: Buffer): string {
  return createHash('sha256').update(bytes).digest('hex');
}
