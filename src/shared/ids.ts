import { randomBytes, randomUUID } from 'node:crypto';

/** A request id as Lambda prints them (a v4 UUID). */
export const requestId = (): string => randomUUID();

/** Lowercase hex of `bytes` random bytes. */
export const randomHex = (bytes: number): string => randomBytes(bytes).toString('hex');
