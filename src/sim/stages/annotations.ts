// Annotations users put on pods to steer the simulator.

/** How long after Running the pod's containers exit (a Go duration, e.g. "5s"). */
export const COMPLETE_AFTER_ANNOTATION = 'sim.kubets.io/complete-after';
/** KWOK-flavoured alias of COMPLETE_AFTER_ANNOTATION, accepted too. */
export const KWOK_COMPLETE_AFTER_ANNOTATION = 'kwok.x-k8s.io/complete-after';
/** The exit code the containers end with; anything but "0" fails the pod. */
export const EXIT_CODE_ANNOTATION = 'sim.kubets.io/exit-code';
