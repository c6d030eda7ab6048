// The NAME and AGE cells every printer starts or ends with.

import { get, str } from './access.js';
import { timestampSince } from './duration.js';

export const nameOf = (o: unknown): string => str(o, 'metadata', 'name');

export const ageOf = (o: unknown, now: Date): string => timestampSince(get(o, 'metadata', 'creationTimestamp'), now);

export const isDeleting = (o: unknown): boolean => str(o, 'metadata', 'deletionTimestamp') !== '';
