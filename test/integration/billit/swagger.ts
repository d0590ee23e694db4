import fs from 'node:fs';
import path from 'node:path';
import { sharedDir } from '../../support/repo';

/**
 * A small Swagger 2.0 schema checker for the contract tests (no network, no library): $ref, type, properties,
 * additionalProperties, items, enum, required, allOf, and the formats the Billit swagger uses (int32, int64,
 * double, uuid, byte, date-time). Swagger 2.0 has no null: a null value is an error unless `x-nullable`.
 * With `strict`, a property the schema does not declare is an error too (so a simulator cannot invent fields).
 *
 * The swagger is Billit's public one (2026-04), read from the shared contracts beside the repository.
 */

export interface Schema {
  $ref?: string;
  type?: string;
  format?: string;
  properties?: Record<string, Schema>;
  additionalProperties?: boolean | Schema;
  items?: Schema;
  enum?: unknown[];
  required?: string[];
  allOf?: Schema[];
  'x-nullable'?: boolean;
  [key: string]: unknown;
}

export interface Operation {
  parameters?: Array<{ name: string; in: string; required?: boolean; schema?: Schema; type?: string }>;
  responses?: Record<string, { description?: string; schema?: Schema }>;
}

export interface Swagger {
  swagger: string;
  paths: Record<string, Record<string, Operation>>;
  definitions: Record<string, Schema>;
}

export const SWAGGER_FILE = path.join(sharedDir, 'contracts', 'billit-swagger-v1.json');

let cached: Swagger | null = null;
export function loadSwagger(): Swagger {
  cached ??= JSON.parse(fs.readFileSync(SWAGGER_FILE, 'utf8')) as Swagger;
  return cached;
}

export interface OperationMatch {
  template: string;
  method: string;
  operation: Operation;
}

function templateRegex(template: string): RegExp {
  const source = template
    .split(/(\{[^}]+\})/)
    .map((part) => (/^\{[^}]+\}$/.test(part) ? '[^/]+' : part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')))
    .join('');
  return new RegExp(`^${source}/?$`, 'i');
}

/** The swagger operation a concrete request path + method hits (literal segments win over parameters). */
export function findOperation(swagger: Swagger, method: string, concretePath: string): OperationMatch | null {
  const m = method.toLowerCase();
  const hits = Object.entries(swagger.paths)
    .filter(([template, ops]) => ops[m] && templateRegex(template).test(concretePath))
    .sort(([a], [b]) => (a.match(/\{/g)?.length ?? 0) - (b.match(/\{/g)?.length ?? 0));
  const hit = hits[0];
  return hit ? { template: hit[0], method: m, operation: hit[1][m]! } : null;
}

/** Does the swagger define this template (exactly, case-insensitive) with this method? */
export function hasTemplate(swagger: Swagger, method: string, template: string): boolean {
  const entry = Object.entries(swagger.paths).find(([t]) => t.toLowerCase() === template.toLowerCase());
  return !!entry && !!entry[1][method.toLowerCase()];
}

const DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;

export interface ValidateOptions {
  strict?: boolean;
}

export function validate(swagger: Swagger, schema: Schema, value: unknown, options: ValidateOptions = {}, at = '$'): string[] {
  const errors: string[] = [];
  const check = (s: Schema, v: unknown, p: string, depth: number): void => {
    if (depth > 64) return;
    if (s.$ref) {
      const name = s.$ref.replace(/^#\/definitions\//, '');
      const def = swagger.definitions[name];
      if (!def) {
        errors.push(`${p}: unknown $ref ${s.$ref}`);
        return;
      }
      check(def, v, p, depth + 1);
      return;
    }
    if (s.allOf) for (const sub of s.allOf) check(sub, v, p, depth + 1);
    if (v === null) {
      if (!s['x-nullable']) errors.push(`${p}: null is not allowed`);
      return;
    }
    if (v === undefined) {
      errors.push(`${p}: missing`);
      return;
    }
    if (s.enum && !s.enum.includes(v)) errors.push(`${p}: ${JSON.stringify(v)} is not one of ${s.enum.join(', ')}`);
    const type = s.type ?? (s.properties ? 'object' : undefined);
    switch (type) {
      case 'object': {
        if (typeof v !== 'object' || Array.isArray(v)) {
          errors.push(`${p}: expected an object`);
          return;
        }
        const obj = v as Record<string, unknown>;
        for (const r of s.required ?? []) if (!(r in obj)) errors.push(`${p}.${r}: required`);
        for (const [k, val] of Object.entries(obj)) {
          const prop = s.properties?.[k];
          if (prop) check(prop, val, `${p}.${k}`, depth + 1);
          else if (typeof s.additionalProperties === 'object') check(s.additionalProperties, val, `${p}.${k}`, depth + 1);
          else if (s.additionalProperties === false || (options.strict && s.properties))
            errors.push(`${p}.${k}: not a property of the schema`);
        }
        return;
      }
      case 'array':
        if (!Array.isArray(v)) {
          errors.push(`${p}: expected an array`);
          return;
        }
        if (s.items) v.forEach((item, i) => check(s.items!, item, `${p}[${i}]`, depth + 1));
        return;
      case 'string':
        if (typeof v !== 'string') {
          errors.push(`${p}: expected a string`);
          return;
        }
        if (s.format === 'date-time' && !DATE_TIME.test(v)) errors.push(`${p}: '${v}' is not a date-time`);
        if (s.format === 'uuid' && !UUID.test(v)) errors.push(`${p}: '${v}' is not a uuid`);
        if (s.format === 'byte' && (v.length % 4 !== 0 || !BASE64.test(v))) errors.push(`${p}: not base64`);
        return;
      case 'integer':
        if (typeof v !== 'number' || !Number.isInteger(v)) {
          errors.push(`${p}: expected an integer`);
          return;
        }
        if (s.format === 'int32' && (v < -(2 ** 31) || v > 2 ** 31 - 1)) errors.push(`${p}: ${v} is out of int32 range`);
        return;
      case 'number':
        if (typeof v !== 'number' || !Number.isFinite(v)) errors.push(`${p}: expected a number`);
        return;
      case 'boolean':
        if (typeof v !== 'boolean') errors.push(`${p}: expected a boolean`);
        return;
      case undefined:
        return;
      default:
        errors.push(`${p}: unsupported schema type ${type}`);
    }
  };
  check(schema, value, at, 0);
  return errors;
}

/** Billit's documented error body (reference §5), for non-2xx replies. */
export const ERROR_BODY_SCHEMA: Schema = {
  type: 'object',
  required: ['errors'],
  properties: {
    errors: {
      type: 'array',
      items: { type: 'object', required: ['Code'], properties: { Code: { type: 'string' }, Description: { type: 'string' } } },
    },
  },
};
