// A set of field paths, stored as a trie keyed by serialized path elements:
// the in-memory form of one managedFields entry's fieldsV1. A path is a
// "member" when the manager owns that node itself (a leaf, a list item, a map
// entry); inner nodes exist only to reach members below them.
//
// Sets are built by insert/childFor/addMember and not changed afterwards, so
// union and difference share the subtrees they leave alone instead of
// copying them.
import {
  FieldPathError,
  compareElements,
  fieldElement,
  parseElement,
  pathToString,
  serializeElement,
  type Path,
  type PathElement,
} from './path-element.js';
import { isObject as isRecord } from '../json.js';

/** One step below a node: the element, whether it is a member, and the set under it (never empty once built). */
interface Entry {
  pe: PathElement;
  member: boolean;
  child: FieldSet | undefined;
}

export class FieldSet {
  // Keyed by serializeElement(pe). Entries of a finished set are never mutated.
  private readonly entries = new Map<string, Entry>();

  static of(...paths: Path[]): FieldSet {
    const s = new FieldSet();
    for (const p of paths) s.insert(p);
    return s;
  }

  /** Adds a path (mutates; the empty path, the root, is never a member). Only for a set still being built. */
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
    const e = this.entries.get(id);
    if (!e) {
      const child = new FieldSet();
      this.entries.set(id, { pe, member: false, child });
      return child;
    }
    return (e.child ??= new FieldSet());
  }

  /** Builder step: makes pe (id = serializeElement(pe)) a member of this node. */
  addMember(pe: PathElement, id: string): void {
    const e = this.entries.get(id);
    if (e) e.member = true;
    else this.entries.set(id, { pe, member: true, child: undefined });
  }

  has(path: Path): boolean {
    if (path.length === 0) return false;
    let node: FieldSet | undefined = this;
    for (let i = 0; i < path.length - 1 && node; i++) node = node.entries.get(serializeElement(path[i]!))?.child;
    return node?.entries.get(serializeElement(path[path.length - 1]!))?.member === true;
  }

  /** The paths under one element, relative to it (empty when there are none). */
  child(pe: PathElement): FieldSet {
    return this.entries.get(serializeElement(pe))?.child ?? new FieldSet();
  }

  hasMember(pe: PathElement): boolean {
    return this.entries.get(serializeElement(pe))?.member === true;
  }

  /** True when pe itself or anything below it is in the set. */
  touches(pe: PathElement): boolean {
    return this.entries.has(serializeElement(pe));
  }

  isEmpty(): boolean {
    return this.entries.size === 0;
  }

  get size(): number {
    let n = 0;
    for (const e of this.entries.values()) n += (e.member ? 1 : 0) + (e.child ? e.child.size : 0);
    return n;
  }

  /** This set itself when other adds nothing to it (a writer re-owning fields it owns keeps its set). */
  union(other: FieldSet): FieldSet {
    if (other.isEmpty()) return this;
    if (this.isEmpty()) return other;
    const out = new FieldSet();
    let changed = false;
    for (const [id, e] of this.entries) {
      const o = other.entries.get(id);
      if (!o) {
        out.entries.set(id, e);
        continue;
      }
      const child = e.child && o.child ? e.child.union(o.child) : (e.child ?? o.child);
      const member = e.member || o.member;
      if (child === e.child && member === e.member) out.entries.set(id, e);
      else {
        changed = true;
        out.entries.set(id, { pe: e.pe, member, child });
      }
    }
    for (const [id, o] of other.entries) {
      if (this.entries.has(id)) continue;
      changed = true;
      out.entries.set(id, o);
    }
    return changed ? out : this;
  }

  intersection(other: FieldSet): FieldSet {
    const out = new FieldSet();
    for (const [id, e] of this.entries) {
      const o = other.entries.get(id);
      if (!o) continue;
      const member = e.member && o.member;
      const sub = e.child && o.child ? e.child.intersection(o.child) : undefined;
      const child = sub && !sub.isEmpty() ? sub : undefined;
      if (member || child) out.entries.set(id, { pe: e.pe, member, child });
    }
    return out;
  }

  /** Members of this set that are not members of other (exact paths, not prefixes); this itself when nothing is dropped. */
  difference(other: FieldSet): FieldSet {
    return this.subtract(other, false);
  }

  /** Drops every path at or below a member of prefixes (upstream's RecursiveDifference); this itself when nothing is dropped. */
  recursiveDifference(prefixes: FieldSet): FieldSet {
    return this.subtract(prefixes, true);
  }

  // The output is only allocated at the first entry that changes: the common
  // case (nothing of this set under other) returns this without copying.
  private subtract(other: FieldSet, recursive: boolean): FieldSet {
    if (other.isEmpty() || this.isEmpty()) return this;
    let out: FieldSet | undefined;
    for (const [id, e] of this.entries) {
      const kept = this.subtractEntry(e, other.entries.get(id), recursive);
      if (kept === e && !out) continue;
      out ??= this.copyBefore(id);
      if (kept) out.entries.set(id, kept);
    }
    return out ?? this;
  }

  /** What remains of one entry: e itself when untouched, undefined when nothing remains. */
  private subtractEntry(e: Entry, o: Entry | undefined, recursive: boolean): Entry | undefined {
    if (!o) return e;
    if (recursive && o.member) return undefined;
    const member = e.member && !o.member;
    const sub = e.child && o.child ? e.child.subtract(o.child, recursive) : e.child;
    const child = sub && !sub.isEmpty() ? sub : undefined;
    if (member === e.member && child === e.child) return e;
    return member || child ? { pe: e.pe, member, child } : undefined;
  }

  /** A new set holding this set's entries that come before id in iteration order. */
  private copyBefore(id: string): FieldSet {
    const out = new FieldSet();
    for (const [k, e] of this.entries) {
      if (k === id) break;
      out.entries.set(k, e);
    }
    return out;
  }

  equals(other: FieldSet): boolean {
    if (this.entries.size !== other.entries.size) return false;
    for (const [id, e] of this.entries) {
      const o = other.entries.get(id);
      if (!o || o.member !== e.member || !e.child !== !o.child) return false;
      if (e.child && !e.child.equals(o.child!)) return false;
    }
    return true;
  }

  /** Every member path, in upstream's order. */
  paths(): Path[] {
    const out: Path[] = [];
    const walk = (s: FieldSet, prefix: PathElement[]) => {
      for (const id of s.sortedIds()) {
        const e = s.entries.get(id)!;
        const p = [...prefix, e.pe];
        if (e.member) out.push(p);
        if (e.child) walk(e.child, p);
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
    const shared = encodedFieldsV1.get(this);
    if (shared) return shared;
    const out: Record<string, unknown> = {};
    this.writeFieldsV1(out);
    return out;
  }

  /**
   * Decodes a fieldsV1 that many stored objects share and nobody changes (a
   * frozen create entry, see CreateShapeCache), and remembers both ways that
   * it encodes this set: their updates then neither decode it nor encode the
   * set again while it is unchanged. Only shared entries are remembered: one
   * set kept per stored object would cost more memory and GC than it saves.
   */
  static share(json: Readonly<Record<string, unknown>>): FieldSet {
    const set = FieldSet.fromFieldsV1(json);
    decodedFieldsV1.set(json, set);
    encodedFieldsV1.set(set, json);
    return set;
  }

  // Writes into an object the caller made, so "." can come first without a spread copy.
  private writeFieldsV1(out: Record<string, unknown>): void {
    for (const id of this.sortedIds()) {
      const e = this.entries.get(id)!;
      if (!e.child) {
        out[id] = {};
        continue;
      }
      const inner: Record<string, unknown> = e.member ? { '.': {} } : {};
      e.child.writeFieldsV1(inner);
      out[id] = inner;
    }
  }

  /** Reads `fieldsV1`; throws FieldPathError on malformed input, skips unknown element kinds. */
  static fromFieldsV1(json: unknown): FieldSet {
    if (!isRecord(json)) throw new FieldPathError('fieldsV1 must be an object');
    const known = decodedFieldsV1.get(json);
    if (known) return known;
    const out = new FieldSet();
    for (const key of Object.keys(json)) {
      if (key === '.') continue;
      // A field key is its own id; other kinds are re-serialized to their canonical id.
      const isField = key.startsWith('f:');
      const pe = isField ? fieldElement(key.slice(2)) : parseElement(key);
      if (!pe) continue;
      const value = json[key];
      if (!isRecord(value)) throw new FieldPathError(`fieldsV1 entry ${key} must be an object`);
      const id = isField ? key : serializeElement(pe);
      let member = true;
      let child: FieldSet | undefined;
      if (!isEmptyRecord(value)) {
        member = Object.hasOwn(value, '.');
        const sub = FieldSet.fromFieldsV1(value);
        if (!sub.isEmpty()) child = sub;
      }
      if (!member && !child) continue;
      // Two keys naming the same element: membership accumulates, the later subtree wins.
      const prev = out.entries.get(id);
      out.entries.set(id, { pe, member: member || (prev?.member ?? false), child: child ?? prev?.child });
    }
    return out;
  }

  // Ids are serialized elements: field ids ("f:a", "f:b") order as their
  // names do, so a level of fields only (the common case) takes the plain
  // string sort; other kinds need the element comparison.
  private sortedIds(): string[] {
    const ids: string[] = [];
    let fieldsOnly = true;
    for (const id of this.entries.keys()) {
      ids.push(id);
      if (id.charCodeAt(0) !== F) fieldsOnly = false;
    }
    if (ids.length < 2) return ids;
    if (fieldsOnly) return ids.sort();
    return ids.sort((a, b) => {
      if (a.charCodeAt(0) === F && b.charCodeAt(0) === F) return a < b ? -1 : a > b ? 1 : 0;
      return compareElements(this.entries.get(a)!.pe, this.entries.get(b)!.pe);
    });
  }
}

const F = 'f'.charCodeAt(0);

/** Shared fieldsV1 objects and their sets (see FieldSet.share); sets are persistent, so neither side ever changes. */
const encodedFieldsV1 = new WeakMap<FieldSet, Readonly<Record<string, unknown>>>();
const decodedFieldsV1 = new WeakMap<object, FieldSet>();

function isEmptyRecord(v: Record<string, unknown>): boolean {
  for (const _ in v) return false;
  return true;
}
