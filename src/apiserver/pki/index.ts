// The cluster PKI and the admin kubeconfig.
export * from './pki.js';
export * from './kubeconfig.js';
export { PkiError, type PkiErrorCode } from './errors.js';
export { createCertificate, generateKeyPair, keyIdentifier, type CertificateTemplate } from './x509.js';
