// A set of field paths, stored as a trie keyed by serialized path elements:
// the in-memory form of one managedFields entry's fieldsV1. A path is a
// "member" when the manager owns that node itself (a leaf, a list item, a map
// entry); inner nodes exist only to reach members below them.
import {
  FieldPathError,
  compareElements,
  parseElement,
  pathToString,
  serializeElement,
  type Path,
  type PathElement,
} from './path-element.js';

interface Child {
  readonly pe: PathElement;
  readonly set: FieldSet;
}

export class FieldSet {
  // Both maps are keyed by serializeElement(pe). Invariant: no child set is empty.
  private readonly members = new Map<string, PathElement>();
  private readonly children = new Map<string, Child>();

  static of(...paths: Path[]): FieldSet {
    const s = new FieldSet();
    for (const p of paths) s.insert(p);
    return s;
  }

  /** Adds a path (mutates; the empty path, the root, is never a member). */
  insert(path: Path): this {
    if (path.length === 0) return this;
    let node: FieldSet = this;
    for (let i = 0; i < path.length - 1; i++) {
      const pe = path[i]!;
      const id = serializeElement(pe);
      let child = node.children.get(id);
      if (!child) {
        child = { pe, set: new FieldSet() };
        node.children.set(id, child);
      }
      node = child.set;
    }
    const last = path[path.length - 1]!;
    node.members.set(serializeElement(last), last);
    return this;
  }

  has(path: Path): boolean {
    if (path.length === 0) return false;
    const parent = this.descend(path.slice(0, -1));
    return parent !== undefined && parent.members.has(serializeElement(path[path.length - 1]!));
  }

  /** The paths under one element, relative to it (empty when there are none). */
  child(pe: PathElement): FieldSet {
    return this.children.get(serializeElement(pe))?.set ?? new FieldSet();
  }

  hasMember(pe: PathElement): boolean {
    return this.members.has(serializeElement(pe));
  }

  /** True when pe itself or anything below it is in the set. */
  touches(pe: PathElement): boolean {
    const id = serializeElement(pe);
    return this.members.has(id) || this.children.has(id);
  }

  isEmpty(): boolean {
    return this.members.size === 0 && this.children.size === 0;
  }

  get size(): number {
    let n = this.members.size;
    for (const c of this.children.values()) n += c.set.size;
    return n;
  }

  union(other: FieldSet): FieldSet {
    const out = this.clone();
    out.addAll(other);
    return out;
  }

  intersection(other: FieldSet): FieldSet {
    const out = new FieldSet();
    for (const [id, pe] of this.members) if (other.members.has(id)) out.members.set(id, pe);
    for (const [id, c] of this.children) {
      const o = other.children.get(id);
      if (!o) continue;
      const sub = c.set.intersection(o.set);
      if (!sub.isEmpty()) out.children.set(id, { pe: c.pe, set: sub });
    }
    return out;
  }

  /** Members of this set that are not members of other (exact paths, not prefixes). */
  difference(other: FieldSet): FieldSet {
    const out = new FieldSet();
    for (const [id, pe] of this.members) if (!other.members.has(id)) out.members.set(id, pe);
    for (const [id, c] of this.children) {
      const o = other.children.get(id);
      const sub = o ? c.set.difference(o.set) : c.set.clone();
      if (!sub.isEmpty()) out.children.set(id, { pe: c.pe, set: sub });
    }
    return out;
  }

  /** Drops every path at or below a member of prefixes (upstream's RecursiveDifference). */
  recursiveDifference(prefixes: FieldSet): FieldSet {
    const out = new FieldSet();
    for (const [id, pe] of this.members) if (!prefixes.members.has(id)) out.members.set(id, pe);
    for (const [id, c] of this.children) {
      if (prefixes.members.has(id)) continue;
      const o = prefixes.children.get(id);
      const sub = o ? c.set.recursiveDifference(o.set) : c.set.clone();
      if (!sub.isEmpty()) out.children.set(id, { pe: c.pe, set: sub });
    }
    return out;
  }

  equals(other: FieldSet): boolean {
    if (this.members.size !== other.members.size || this.children.size !== other.children.size) return false;
    for (const id of this.members.keys()) if (!other.members.has(id)) return false;
    for (const [id, c] of this.children) {
      const o = other.children.get(id);
      if (!o || !c.set.equals(o.set)) return false;
    }
    return true;
  }

  /** Every member path, in upstream's order. */
  paths(): Path[] {
    const out: Path[] = [];
    const walk = (s: FieldSet, prefix: PathElement[]) => {
      for (const { pe, member, child } of s.sortedEntries()) {
        const p = [...prefix, pe];
        if (member) out.push(p);
        if (child) walk(child, p);
      }
    };
    walk(this, []);
    return out;
  }

  /** Member paths printed as in conflict messages. */
  toStrings(): string[] {
    return this.paths().map(pathToString);
  }

  /** The `fieldsV1` JSON: members map to {}, a node that is both member and parent gets ".". */
  toFieldsV1(): Record<string, unknown> {
    const out: Record<string, unknown> = {};
    for (const { pe, member, child } of this.sortedEntries()) {
      const key = serializeElement(pe);
      if (!child) {
        out[key] = {};
        continue;
      }
      const inner = child.toFieldsV1();
      out[key] = member ? { '.': {}, ...inner } : inner;
    }
    return out;
  }

  /** Reads `fieldsV1`; throws FieldPathError on malformed input, skips unknown element kinds. */
  static fromFieldsV1(json: unknown): FieldSet {
    const out = new FieldSet();
    if (!isRecord(json)) throw new FieldPathError('fieldsV1 must be an object');
    for (const [key, value] of Object.entries(json)) {
      if (key === '.') continue;
      const pe = parseElement(key);
      if (!pe) continue;
      if (!isRecord(value)) throw new FieldPathError(`fieldsV1 entry ${key} must be an object`);
      const id = serializeElement(pe);
      const keys = Object.keys(value);
      if (keys.length === 0 || keys.includes('.')) out.members.set(id, pe);
      const sub = FieldSet.fromFieldsV1(value);
      if (!sub.isEmpty()) out.children.set(id, { pe, set: sub });
    }
    return out;
  }

  private clone(): FieldSet {
    const out = new FieldSet();
    out.addAll(this);
    return out;
  }

  private addAll(other: FieldSet): void {
    for (const [id, pe] of other.members) this.members.set(id, pe);
    for (const [id, c] of other.children) {
      const mine = this.children.get(id);
      if (mine) mine.set.addAll(c.set);
      else this.children.set(id, { pe: c.pe, set: c.set.clone() });
    }
  }

  private descend(path: Path): FieldSet | undefined {
    let node: FieldSet | undefined = this;
    for (const pe of path) {
      node = node.children.get(serializeElement(pe))?.set;
      if (!node) return undefined;
    }
    return node;
  }

  private sortedEntries(): { pe: PathElement; member: boolean; child: FieldSet | undefined }[] {
    const ids = new Set([...this.members.keys(), ...this.children.keys()]);
    return [...ids]
      .map((id) => {
        const child = this.children.get(id);
        return { pe: (this.members.get(id) ?? child?.pe)!, member: this.members.has(id), child: child?.set };
      })
      .sort((a, b) => compareElements(a.pe, b.pe));
  }
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}
