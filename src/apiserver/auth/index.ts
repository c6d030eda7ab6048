// The authentication and authorization surface the API server uses.
export * from './types.js';
export * from './authenticator.js';
export * from './authorizer.js';
export * from './reviews.js';
export * from './bearer.js';
export * from './bootstrap-token.js';
export * from './service-account-token.js';
export * from './legacy-service-account-token.js';
export * from './token-file.js';
export * from './union.js';
export * from './x509-authenticator.js';
export type { GetSecret, SecretLike, ObjectLike } from './secret-types.js';
