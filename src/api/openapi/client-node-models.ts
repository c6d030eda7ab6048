// Reads the generated models that @kubernetes/client-node ships: each
// `<Class>.js` holds an `attributeTypeMap` (JSON names, TypeScript-ish types,
// formats) and the `.d.ts` beside it holds the descriptions and, through `?`,
// which fields are optional. Parsed as text so that the (large) library is
// never loaded just to learn its schemas.
import { readFileSync, readdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

export interface ModelField {
  /** JSON name on the wire. */
  jsonName: string;
  /** client-node type: "string", "number", "Array<V1Container>", "{ [key: string]: string; }", "V1PodSpec", ... */
  type: string;
  format: string;
  description?: string;
  required: boolean;
}

export interface ModelClass {
  name: string;
  description?: string;
  fields: ModelField[];
}

export class ModelSourceError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ModelSourceError';
  }
}

/** The `dist/gen` directory of the installed @kubernetes/client-node. */
export function clientNodeGenDir(): string {
  const require = createRequire(import.meta.url);
  return join(dirname(require.resolve('@kubernetes/client-node')), 'gen');
}

interface RawAttribute {
  name: string;
  baseName: string;
  type: string;
  format: string;
}

function isRawAttribute(v: unknown): v is RawAttribute {
  if (typeof v !== 'object' || v === null) return false;
  const r = v as Record<string, unknown>;
  return typeof r.baseName === 'string' && typeof r.type === 'string' && typeof r.format === 'string';
}

/** Extracts the `X.attributeTypeMap = [...]` literal (valid JSON) from a model's .js text. */
export function parseAttributeTypeMap(className: string, jsText: string): RawAttribute[] {
  const marker = `${className}.attributeTypeMap = `;
  const start = jsText.indexOf(marker);
  if (start < 0) throw new ModelSourceError(`${className}: no attributeTypeMap`);
  const open = start + marker.length;
  const close = jsText.indexOf('];', open);
  if (close < 0) throw new ModelSourceError(`${className}: unterminated attributeTypeMap`);
  const parsed: unknown = JSON.parse(jsText.slice(open, close + 1));
  if (!Array.isArray(parsed) || !parsed.every(isRawAttribute)) {
    throw new ModelSourceError(`${className}: unexpected attributeTypeMap shape`);
  }
  return parsed;
}

function cleanComment(raw: string): string {
  return raw
    .split('\n')
    .map((l) => l.replace(/^\s*\*?\s?/, '').trimEnd())
    .filter((l) => l.length > 0)
    .join('\n')
    .replace(/\\(['"\\])/g, '$1')
    .trim();
}

export interface DeclarationDocs {
  classDescription?: string;
  /** Keyed by the TypeScript property name. */
  fields: Map<string, { description?: string; optional: boolean }>;
}

/** Reads the class and field doc comments, and optionality, from a model's .d.ts text. */
export function parseDeclaration(className: string, dtsText: string): DeclarationDocs {
  const fields = new Map<string, { description?: string; optional: boolean }>();
  const classAt = dtsText.indexOf(`export declare class ${className}`);
  let classDescription: string | undefined;
  if (classAt >= 0) {
    const before = dtsText.slice(0, classAt);
    const m = /\/\*\*((?:(?!\*\/)[\s\S])*)\*\/\s*$/.exec(before);
    if (m && m[1] !== undefined) classDescription = cleanComment(m[1]);
  }
  const body = classAt >= 0 ? dtsText.slice(classAt) : dtsText;
  // A property line, optionally preceded by its doc comment.
  const prop = /(?:\/\*\*((?:(?!\*\/)[\s\S])*)\*\/\s*)?\n\s{4}'([^']+)'(\??):/g;
  for (let m = prop.exec(body); m; m = prop.exec(body)) {
    const name = m[2] ?? '';
    const description = m[1] !== undefined ? cleanComment(m[1]) : undefined;
    fields.set(name, { ...(description ? { description } : {}), optional: m[3] === '?' });
  }
  return { ...(classDescription ? { classDescription } : {}), fields };
}

/** Loads every model class from the installed client-node. */
export function loadModelClasses(genDir: string = clientNodeGenDir()): Map<string, ModelClass> {
  const modelsDir = join(genDir, 'models');
  const out = new Map<string, ModelClass>();
  for (const file of readdirSync(modelsDir)) {
    if (!file.endsWith('.js')) continue;
    const name = file.slice(0, -3);
    if (name === 'ObjectSerializer' || name === 'all') continue;
    const js = readFileSync(join(modelsDir, file), 'utf8');
    if (!js.includes(`${name}.attributeTypeMap = `)) continue;
    const attrs = parseAttributeTypeMap(name, js);
    const docs = parseDeclaration(name, readFileSync(join(modelsDir, `${name}.d.ts`), 'utf8'));
    out.set(name, {
      name,
      ...(docs.classDescription ? { description: docs.classDescription } : {}),
      fields: attrs.map((a) => {
        const d = docs.fields.get(a.name);
        return {
          jsonName: a.baseName,
          type: a.type,
          format: a.format,
          ...(d?.description ? { description: d.description } : {}),
          required: d !== undefined && !d.optional,
        };
      }),
    });
  }
  return out;
}

/** A model named in an API class, with the group-version of that API's paths. */
export interface ApiTypeUse {
  className: string;
  group: string;
  version: string;
}

/**
 * Lists the models each `<Group><Version>Api.js` sends or receives, with the
 * group/version its paths serve. This is how a class name (which carries only
 * the version) is tied to its API group.
 */
export function loadApiTypeUses(genDir: string = clientNodeGenDir()): ApiTypeUse[] {
  const apisDir = join(genDir, 'apis');
  const uses: ApiTypeUse[] = [];
  for (const file of readdirSync(apisDir)) {
    if (!/^[A-Z][A-Za-z]*V\d+(?:(?:alpha|beta)\d+)?Api\.js$/.test(file)) continue;
    const js = readFileSync(join(apisDir, file), 'utf8');
    const path = /localVarPath = '\/(api\/v1|apis\/([^/]+)\/([^/']+))/.exec(js);
    if (!path) continue;
    const group = path[1] === 'api/v1' ? '' : (path[2] ?? '');
    const version = path[1] === 'api/v1' ? 'v1' : (path[3] ?? '');
    const seen = new Set<string>();
    for (const m of js.matchAll(/, "([A-Z][A-Za-z0-9]*)", ""\)/g)) {
      const className = m[1] ?? '';
      if (seen.has(className)) continue;
      seen.add(className);
      uses.push({ className, group, version });
    }
  }
  return uses;
}
