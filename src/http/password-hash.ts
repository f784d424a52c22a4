import { randomBytes, scrypt, timingSafeEqual, type ScryptOptions } from 'node:crypto';

/**
 * A password hash as the config holds it:
 * `scrypt:N:r:p:SALT:HASH`, salt and hash in unpadded base64url (INI reads
 * `;` and `#` as comments and `=` as a separator, so none of them appear).
 */
export interface PasswordHash {
  cost: number;
  blockSize: number;
  parallelization: number;
  salt: Buffer;
  hash: Buffer;
}

/** 2^15 × 8 × 128 B = 32 MiB and some tens of ms per check: slow for a guesser, fine for a login. */
const DEFAULT_COST = 2 ** 15;
const BLOCK_SIZE = 8;
const PARALLELIZATION = 1;
const SALT_BYTES = 16;
const HASH_BYTES = 32;
/** scrypt takes 128 × N × r bytes a check: a config cannot make one cost more than this. */
const MAX_MEMORY_BYTES = 256 * 1024 ** 2;

export async function hashPassword(password: string, cost = DEFAULT_COST): Promise<string> {
  const params = { cost, blockSize: BLOCK_SIZE, parallelization: PARALLELIZATION, salt: randomBytes(SALT_BYTES) };
  const hash = await derive(password, params, HASH_BYTES);
  return ['scrypt', cost, BLOCK_SIZE, PARALLELIZATION, params.salt.toString('base64url'), hash.toString('base64url')].join(':');
}

/** Reads `scrypt:N:r:p:SALT:HASH`; null when the text is not one. */
export function parsePasswordHash(text: string): PasswordHash | null {
  const parts = text.split(':');
  if (parts.length !== 6 || parts[0] !== 'scrypt') return null;
  const [cost, blockSize, parallelization] = parts.slice(1, 4).map((part) => (/^\d{1,7}$/.test(part) ? Number(part) : NaN));
  const isBase64Url = (part: string) => /^[A-Za-z0-9_-]+$/.test(part);
  if (!isBase64Url(parts[4]) || !isBase64Url(parts[5])) return null;
  const salt = Buffer.from(parts[4], 'base64url');
  const hash = Buffer.from(parts[5], 'base64url');
  const powerOfTwo = cost > 1 && (cost & (cost - 1)) === 0;
  if (!powerOfTwo || !(blockSize >= 1) || !(parallelization >= 1 && parallelization <= 16)) return null;
  if (128 * cost * blockSize > MAX_MEMORY_BYTES) return null;
  if (salt.length < 8 || hash.length < 16) return null;
  return { cost, blockSize, parallelization, salt, hash };
}

/** Whether `password` hashes to `stored`; the comparison takes the same time wherever they differ. */
export async function verifyPassword(password: string, stored: PasswordHash): Promise<boolean> {
  const hash = await derive(password, stored, stored.hash.length);
  return timingSafeEqual(hash, stored.hash);
}

function derive(password: string, params: Omit<PasswordHash, 'hash'>, length: number): Promise<Buffer> {
  const options: ScryptOptions = {
    N: params.cost,
    r: params.blockSize,
    p: params.parallelization,
    maxmem: 128 * params.cost * params.blockSize + 1024 ** 2,
  };
  return new Promise((resolve, reject) => {
    scrypt(password.normalize('NFC'), params.salt, length, options, (error, key) => (error ? reject(error) : resolve(key)));
  });
}
