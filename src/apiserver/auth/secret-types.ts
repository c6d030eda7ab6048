// The few object shapes the authenticators read through injected lookups.

export interface ObjectMetaLike {
  name?: string;
  namespace?: string;
  uid?: string;
  deletionTimestamp?: string | null;
}

export interface SecretLike {
  metadata?: ObjectMetaLike;
  type?: string;
  /** Base64 values, as in the API. */
  data?: Record<string, string>;
}

export interface ObjectLike {
  metadata?: ObjectMetaLike;
}

/** Reads a Secret through the store; null when it does not exist. */
export type GetSecret = (namespace: string, name: string) => Promise<SecretLike | null>;

/** Base64 decode a Secret data value; undefined when absent. */
export function secretValue(secret: SecretLike, key: string): string | undefined {
  const v = secret.data?.[key];
  return v === undefined ? undefined : Buffer.from(v, 'base64').toString('utf8');
}
