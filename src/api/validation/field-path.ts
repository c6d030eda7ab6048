// Field paths rendered the way upstream's field.Path prints them:
// `spec.containers[0].image`, `metadata.labels[app]`.

export type FieldPath = string;

/** Appends one or more child names. */
export function child(base: FieldPath, ...names: string[]): FieldPath {
  let out = base;
  for (const name of names) out = out ? `${out}.${name}` : name;
  return out;
}

export const index = (base: FieldPath, i: number): FieldPath => `${base}[${i}]`;
export const key = (base: FieldPath, k: string): FieldPath => `${base}[${k}]`;
