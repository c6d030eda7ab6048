// Typed errors the kubelet turns into pod-visible reasons: a container whose
// config cannot be built waits with CreateContainerConfigError; a volume that
// cannot be set up gives a FailedMount event.

/** Env, mounts or security settings of one container cannot be resolved. */
export class CreateContainerConfigError extends Error {
  override name = 'CreateContainerConfigError';
  /** The waiting reason upstream reports. */
  readonly reason = 'CreateContainerConfigError';
}

/** A volume of the pod cannot be prepared (missing object, bad hostPath type, unbound claim...). */
export class VolumeSetupError extends Error {
  override name = 'VolumeSetupError';
  /** The event reason upstream reports. */
  readonly reason = 'FailedMount';
  constructor(
    readonly volume: string,
    message: string,
  ) {
    super(`MountVolume.SetUp failed for volume "${volume}" : ${message}`);
  }
}
