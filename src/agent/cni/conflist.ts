// The node's CNI network: a bridge (cni0) with host-local IPAM on the node's
// podCIDR, chained with portmap for hostPorts. Written atomically inside the
// conf dir, because containerd 1.6 does not notice a file moved in from
// another directory (runtime-notes pitfall 5).
import { mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export interface CniNetworkOptions {
  /** Network name; also names the CNI result cache entries. */
  name?: string;
  podCIDR: string;
  bridge?: string;
  /** host-local IPAM's private allocation dir. */
  ipamDataDir: string;
  /** Masquerade pod traffic leaving the pod CIDR. */
  ipMasq?: boolean;
  mtu?: number;
}

export const CNI_CONFLIST_FILE = '10-kubets.conflist';

export function cniConflist(o: CniNetworkOptions): Record<string, unknown> {
  return {
    cniVersion: '1.0.0',
    name: o.name ?? 'kubets',
    plugins: [
      {
        type: 'bridge',
        bridge: o.bridge ?? 'cni0',
        isGateway: true,
        ipMasq: o.ipMasq ?? true,
        hairpinMode: true,
        ...(o.mtu ? { mtu: o.mtu } : {}),
        ipam: {
          type: 'host-local',
          ranges: [[{ subnet: o.podCIDR }]],
          routes: [{ dst: '0.0.0.0/0' }],
          dataDir: o.ipamDataDir,
        },
      },
      { type: 'portmap', capabilities: { portMappings: true }, snat: true },
    ],
  };
}

/** Writes the conflist as confDir/10-kubets.conflist via a temp file in the same dir. Returns its path. */
export function writeCniConflist(confDir: string, o: CniNetworkOptions): string {
  mkdirSync(confDir, { recursive: true });
  const target = join(confDir, CNI_CONFLIST_FILE);
  // The temp name must not end in .conflist/.conf/.json, or containerd may load it half-written.
  const tmp = join(confDir, `.${CNI_CONFLIST_FILE}.${process.pid}.tmp`);
  writeFileSync(tmp, `${JSON.stringify(cniConflist(o), null, 2)}\n`);
  renameSync(tmp, target);
  return target;
}
