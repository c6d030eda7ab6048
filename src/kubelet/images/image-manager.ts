// Makes sure a container's image is on the node, by the pod's imagePullPolicy,
// with per-pod pull back-off; failures carry the waiting reason the
// container status shows (ErrImagePull, ImagePullBackOff, ErrImageNeverPull).
import type { Container, Pod } from '../../api/core-v1.js';
import type { AuthConfig, ImageService, PodSandboxConfig } from '../../cri/types.js';
import type { Clock } from '../../util/clock.js';
import { Backoff } from '../backoff.js';
import { authConfigsFor, type SecretLike } from './pull-secrets.js';

export class ImagePullError extends Error {
  override name = 'ImagePullError';
  constructor(
    readonly reason: 'ErrImagePull' | 'ImagePullBackOff' | 'ErrImageNeverPull' | 'InvalidImageName',
    message: string,
  ) {
    super(message);
  }
}

export type SecretGetter = (namespace: string, name: string) => Promise<SecretLike | undefined>;

/** The policy upstream defaults to: Always for ":latest" or no tag, IfNotPresent otherwise. */
export function pullPolicyOf(c: Container): 'Always' | 'IfNotPresent' | 'Never' {
  if (c.imagePullPolicy) return c.imagePullPolicy;
  const image = c.image ?? '';
  if (image.includes('@')) return 'IfNotPresent';
  const lastPart = image.slice(image.lastIndexOf('/') + 1);
  const tag = lastPart.includes(':') ? lastPart.slice(lastPart.indexOf(':') + 1) : '';
  return tag === '' || tag === 'latest' ? 'Always' : 'IfNotPresent';
}

export class ImageManager {
  readonly backoff: Backoff;

  constructor(
    private readonly images: ImageService,
    private readonly getSecret: SecretGetter,
    private readonly clock: Clock,
  ) {
    this.backoff = new Backoff(clock);
  }

  private key(pod: Pod, image: string): string {
    return `${pod.metadata.uid}/${image}`;
  }

  /** Milliseconds until the pull back-off for this pod's image ends. */
  backoffRemaining(pod: Pod, image: string, since: number): number {
    return this.backoff.remaining(this.key(pod, image), since);
  }

  /**
   * Ensures the image is present; returns its reference (image ID). `onPull`
   * hears of a pull starting and ending (for the pod's events).
   */
  async ensure(pod: Pod, c: Container, sandboxConfig?: PodSandboxConfig, onPull?: (phase: 'pulling' | 'pulled', image: string, ms: number) => void): Promise<string> {
    const image = c.image ?? '';
    if (!image) throw new ImagePullError('InvalidImageName', `container ${c.name} has no image`);
    const policy = pullPolicyOf(c);
    if (policy !== 'Always') {
      const present = await this.images.imageStatus({ image });
      if (present) return present.id;
      if (policy === 'Never') throw new ImagePullError('ErrImageNeverPull', `Container image "${image}" is not present with pull policy of Never`);
    }
    const key = this.key(pod, image);
    const failedAt = this.lastFailure.get(key);
    if (failedAt !== undefined && this.backoff.isInBackOffSince(key, failedAt)) {
      throw new ImagePullError('ImagePullBackOff', `Back-off pulling image "${image}"`);
    }
    const auths = await this.auths(pod, image);
    const began = this.clock.now();
    onPull?.('pulling', image, 0);
    let lastErr: unknown;
    for (const auth of auths.length > 0 ? auths : [undefined]) {
      try {
        const ref = await this.images.pullImage({ image }, auth, sandboxConfig);
        this.backoff.reset(key);
        this.lastFailure.delete(key);
        onPull?.('pulled', image, this.clock.now() - began);
        return ref;
      } catch (err) {
        lastErr = err;
      }
    }
    this.backoff.next(key);
    this.lastFailure.set(key, this.clock.now());
    const detail = lastErr instanceof Error ? lastErr.message : String(lastErr);
    throw new ImagePullError('ErrImagePull', `Failed to pull image "${image}": ${detail}`);
  }

  forgetPod(uid: string): void {
    this.backoff.resetPrefix(`${uid}/`);
    for (const k of this.lastFailure.keys()) if (k.startsWith(`${uid}/`)) this.lastFailure.delete(k);
  }

  /** When each pod's image last failed to pull. */
  private readonly lastFailure = new Map<string, number>();

  private async auths(pod: Pod, image: string): Promise<AuthConfig[]> {
    const refs = pod.spec.imagePullSecrets ?? [];
    if (refs.length === 0) return [];
    const secrets: SecretLike[] = [];
    for (const r of refs) {
      const s = await this.getSecret(pod.metadata.namespace ?? 'default', r.name).catch(() => undefined);
      if (s) secrets.push(s);
    }
    return authConfigsFor(image, secrets);
  }
}
