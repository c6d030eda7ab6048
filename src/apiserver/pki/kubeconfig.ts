// Writes the admin kubeconfig (DIR/kubeconfig.yaml), k3s-style: one cluster,
// user and context, all named `default`, with the credentials embedded.
import { stringify } from 'yaml';
import { KEY_MODE, writeAtomic } from './files.js';

export interface KubeconfigOptions {
  server: string;
  caPem: string;
  clientCertPem: string;
  clientKeyPem: string;
  user?: string;
  cluster?: string;
  context?: string;
}

const b64 = (s: string) => Buffer.from(s, 'utf8').toString('base64');

/** The kubeconfig document as a plain object (what `kubectl config view --raw` shows). */
export function kubeconfigObject(o: KubeconfigOptions): Record<string, unknown> {
  const cluster = o.cluster ?? 'default';
  const user = o.user ?? 'default';
  const context = o.context ?? 'default';
  return {
    apiVersion: 'v1',
    kind: 'Config',
    clusters: [{ name: cluster, cluster: { 'certificate-authority-data': b64(o.caPem), server: o.server } }],
    contexts: [{ name: context, context: { cluster, user } }],
    'current-context': context,
    preferences: {},
    users: [
      { name: user, user: { 'client-certificate-data': b64(o.clientCertPem), 'client-key-data': b64(o.clientKeyPem) } },
    ],
  };
}

/** Writes the kubeconfig with mode 0600: it carries a private key. */
export async function writeKubeconfig(path: string, o: KubeconfigOptions): Promise<void> {
  await writeAtomic(path, stringify(kubeconfigObject(o)), KEY_MODE);
}
