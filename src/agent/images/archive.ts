// Reads which image names (and target digests) an image archive declares,
// without unpacking it: OCI layouts (index.json annotations) and docker-save
// archives (manifest.json RepoTags).
import { runCommand } from '../run-command.js';

export interface ArchiveImage {
  name: string;
  /** Target digest for OCI layouts; undefined for docker archives. */
  digest?: string;
}

async function readMember(archive: string, member: string): Promise<string | null> {
  for (const name of [member, `./${member}`]) {
    const r = await runCommand('tar', ['-xOf', archive, name], { allowFailure: true });
    if (r.code === 0) return r.stdout;
  }
  return null;
}

/** Full image names the archive will be imported as; [] when it names none. */
export async function archiveImages(archive: string): Promise<ArchiveImage[]> {
  const index = await readMember(archive, 'index.json');
  if (index !== null) {
    const parsed = JSON.parse(index) as { manifests?: Array<{ digest: string; annotations?: Record<string, string> }> };
    return (parsed.manifests ?? []).flatMap((m) => {
      const name = m.annotations?.['io.containerd.image.name'];
      return name ? [{ name, digest: m.digest }] : [];
    });
  }
  const manifest = await readMember(archive, 'manifest.json');
  if (manifest !== null) {
    const parsed = JSON.parse(manifest) as Array<{ RepoTags?: string[] }>;
    return parsed.flatMap((m) => (m.RepoTags ?? []).map((t) => ({ name: normalizeDockerName(t) })));
  }
  return [];
}

/** "busybox:1" → "docker.io/library/busybox:1", as containerd names docker-archive tags. */
export function normalizeDockerName(ref: string): string {
  const slash = ref.indexOf('/');
  const first = slash < 0 ? '' : ref.slice(0, slash);
  const hasRegistry = first.includes('.') || first.includes(':') || first === 'localhost';
  if (hasRegistry) return ref;
  return slash < 0 ? `docker.io/library/${ref}` : `docker.io/${ref}`;
}
