// Names of the images kubets builds (scripts/build-images.sh) and imports at
// start; nothing is pulled from the internet.
export const PAUSE_IMAGE = 'kubets.local/pause:3.10';
export const BUSYBOX_IMAGE = 'kubets.local/busybox:1.35';

/** Archive file names under build/images/ (and DATA_DIR/images/). */
export const IMAGE_ARCHIVES = { pause: 'pause.tar', busybox: 'busybox.tar' } as const;

/** containerd namespace the CRI plugin keeps its images and containers in. */
export const CRI_NAMESPACE = 'k8s.io';
