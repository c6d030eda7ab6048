// The set of fields an object sets, as an applier owns them: every leaf
// (scalar, null, empty object, atomic list or map), every list item, and every
// entry of a 'map'-typed object. Upstream's TypedValue.ToFieldSet.
import { FieldSet } from './field-set.js';
import { fieldElement, type PathElement } from './path-element.js';
import { childSchemaPath, indexList, isObject, listTypeOf, mapTypeOf, type ListKeys, type MapType, type Schema } from './schema.js';

export function fieldSetOf(obj: unknown, listKeys: ListKeys, mapType?: MapType): FieldSet {
  const out = new FieldSet();
  visit(obj, [], [], out, { listKeys, mapType });
  return out;
}

function visit(v: unknown, path: PathElement[], spath: string[], out: FieldSet, schema: Schema): void {
  if (Array.isArray(v)) {
    const list = listTypeOf(schema, spath);
    if (list.type === 'atomic') {
      out.insert(path);
      return;
    }
    for (const item of indexList(list, v).order) {
      const p = [...path, item.pe];
      visit(item.value, p, childSchemaPath(spath, item.pe), out, schema);
      out.insert(p);
    }
    return;
  }
  if (!isObject(v)) {
    out.insert(path);
    return;
  }
  const kind = mapTypeOf(schema, spath);
  if (kind === 'atomic') {
    out.insert(path);
    return;
  }
  for (const [k, child] of Object.entries(v)) {
    const pe = fieldElement(k);
    const p = [...path, pe];
    visit(child, p, childSchemaPath(spath, pe), out, schema);
    if (kind === 'map' || child === null || (isObject(child) && Object.keys(child).length === 0)) out.insert(p);
  }
}
