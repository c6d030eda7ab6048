// Parses the type strings of client-node's attributeTypeMap into a small tree.

export type ModelType =
  | { kind: 'primitive'; name: 'string' | 'number' | 'boolean' }
  | { kind: 'time' }
  | { kind: 'microTime' }
  | { kind: 'intOrString' }
  | { kind: 'any' }
  | { kind: 'array'; items: ModelType }
  | { kind: 'map'; values: ModelType }
  | { kind: 'class'; name: string };

export class ModelTypeError extends Error {
  constructor(type: string) {
    super(`unparseable client-node type: ${type}`);
    this.name = 'ModelTypeError';
  }
}

export function parseModelType(type: string): ModelType {
  const t = type.trim();
  switch (t) {
    case 'string':
    case 'number':
    case 'boolean':
      return { kind: 'primitive', name: t };
    case 'Date':
      return { kind: 'time' };
    case 'V1MicroTime':
      return { kind: 'microTime' };
    case 'IntOrString':
      return { kind: 'intOrString' };
    case 'any':
      return { kind: 'any' };
  }
  const arr = /^Array<(.+)>$/.exec(t);
  if (arr?.[1]) return { kind: 'array', items: parseModelType(arr[1]) };
  const map = /^\{ \[key: string\]: (.+); \}$/.exec(t);
  if (map?.[1]) return { kind: 'map', values: parseModelType(map[1]) };
  if (/^[A-Z][A-Za-z0-9]*$/.test(t)) return { kind: 'class', name: t };
  throw new ModelTypeError(type);
}

/** Model classes a field's type refers to. */
export function referencedClasses(type: string): string[] {
  const out: string[] = [];
  const walk = (m: ModelType): void => {
    if (m.kind === 'class') out.push(m.name);
    else if (m.kind === 'array') walk(m.items);
    else if (m.kind === 'map') walk(m.values);
  };
  walk(parseModelType(type));
  return out;
}
