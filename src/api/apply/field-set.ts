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

  /**
   * Adds a path (mutates; the empty path, the root, is never a member). Sets
   * share subtrees once built (union, difference), so only insert into a set
   * you are still building.
   */
  insert(path: Path): this {
    if (path.length === 0) return this;
    let node: FieldSet = this;
    for (let i = 0; i < path.length - 1; i++) {
      const pe = path[i]!;
      node = node.childFor(pe, serializeElement(pe));
    }
    const last = path[path.length - 1]!;
    node.addMember(last, serializeElement(last));
    return this;
  }

  /** Builder step: the child node for pe (id = serializeElement(pe)), created when missing; the caller must add a member below it. */
  childFor(pe: PathElement, id: string): FieldSet {
    let child = this.children.get(id);
    if (!child) {
      child = { pe, set: new FieldSet() };
      this.children.set(id, child);
    }
    return child.set;
  }

  /** Builder step: makes pe (id = serializeElement(pe)) a member of this node. */
  addMember(pe: PathElement, id: string): void {
    this.members.set(id, pe);
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

  /** Shares the subtrees only one side has instead of copying them (sets are not mutated once built). */
  union(other: FieldSet): FieldSet {
    if (other.isEmpty()) return this;
    if (this.isEmpty()) return other;
    const out = new FieldSet();
    for (const [id, pe] of this.members) out.members.set(id, pe);
    for (const [id, pe] of other.members) out.members.set(id, pe);
    for (const [id, c] of this.children) {
      const o = other.children.get(id);
      out.children.set(id, o ? { pe: c.pe, set: c.set.union(o.set) } : c);
    }
    for (const [id, o] of other.children) if (!this.children.has(id)) out.children.set(id, o);
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

  /**
   * Members of this set that are not members of other (exact paths, not
   * prefixes). Returns this itself when nothing is dropped, and shares the
   * subtrees other does not reach.
   */
  difference(other: FieldSet): FieldSet {
    if (other.isEmpty() || this.isEmpty()) return this;
    const out = new FieldSet();
    let changed = false;
    for (const [id, pe] of this.members) {
      if (other.members.has(id)) changed = true;
      else out.members.set(id, pe);
    }
    for (const [id, c] of this.children) {
      const o = other.children.get(id);
      const sub = o ? c.set.difference(o.set) : c.set;
      if (sub !== c.set) changed = true;
      if (!sub.isEmpty()) out.children.set(id, sub === c.set ? c : { pe: c.pe, set: sub });
    }
    return changed ? out : this;
  }

  /** Drops every path at or below a member of prefixes (upstream's RecursiveDifference); shares what it keeps whole. */
  recursiveDifference(prefixes: FieldSet): FieldSet {
    if (prefixes.isEmpty() || this.isEmpty()) return this;
    const out = new FieldSet();
    let changed = false;
    for (const [id, pe] of this.members) {
      if (prefixes.members.has(id)) changed = true;
      else out.members.set(id, pe);
    }
    for (const [id, c] of this.children) {
      if (prefixes.members.has(id)) {
        changed = true;
        continue;
      }
      const o = prefixes.children.get(id);
      const sub = o ? c.set.recursiveDifference(o.set) : c.set;
      if (sub !== c.set) changed = true;
      if (!sub.isEmpty()) out.children.set(id, sub === c.set ? c : { pe: c.pe, set: sub });
    }
    return changed ? out : this;
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
      for (const id of s.sortedIds()) {
        const child = s.children.get(id);
        const p = [...prefix, s.elementOf(id)];
        if (s.members.has(id)) out.push(p);
        if (child) walk(child.set, p);
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
    this.writeFieldsV1(out);
    return out;
  }

  // Writes into an object the caller made, so "." can come first without a spread copy.
  private writeFieldsV1(out: Record<string, unknown>): void {
    for (const id of this.sortedIds()) {
      const child = this.children.get(id);
      if (!child) {
        out[id] = {};
        continue;
      }
      const inner: Record<string, unknown> = this.members.has(id) ? { '.': {} } : {};
      child.set.writeFieldsV1(inner);
      out[id] = inner;
    }
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

  private descend(path: Path): FieldSet | undefined {
    let node: FieldSet | undefined = this;
    for (const pe of path) {
      node = node.children.get(serializeElement(pe))?.set;
      if (!node) return undefined;
    }
    return node;
  }

  private elementOf(id: string): PathElement {
    return (this.members.get(id) ?? this.children.get(id)?.pe)!;
  }

  // Ids are serialized elements: field ids ("f:a", "f:b") order as their
  // names do, so a level of fields only (the common case) takes the plain
  // string sort; other kinds need the element comparison.
  private sortedIds(): string[] {
    const ids: string[] = [];
    let fieldsOnly = true;
    for (const id of this.members.keys()) {
      ids.push(id);
      if (id.charCodeAt(0) !== F) fieldsOnly = false;
    }
    for (const id of this.children.keys()) {
      if (this.members.has(id)) continue;
      ids.push(id);
      if (id.charCodeAt(0) !== F) fieldsOnly = false;
    }
    if (ids.length < 2) return ids;
    if (fieldsOnly) return ids.sort();
    return ids.sort((a, b) => {
      if (a.charCodeAt(0) === F && b.charCodeAt(0) === F) return a < b ? -1 : a > b ? 1 : 0;
      return compareElements(this.elementOf(a), this.elementOf(b));
    });
  }
}

const F = 'f'.charCodeAt(0);

function isRecord(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}
