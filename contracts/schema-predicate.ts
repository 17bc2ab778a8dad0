/**
 * A fast yes-check compiled from a zod schema, for the common case: a valid response. zod's own
 * parse builds a result object per value and per nested field even when everything is valid; at
 * one logged response per invocation that was a large share of reading a log batch.
 *
 * The predicate is one-sided: `true` means zod would accept the value; `false` means "not sure",
 * and the caller runs zod, which also describes what is wrong. It reads only the schema kinds the
 * contracts use (objects, records, arrays, strings, booleans, enums, unknown, optional, nullable)
 * without checks or transforms; a schema with anything else gets no predicate and always goes to
 * zod. Values are JSON-like (string keys only), as the log readers build them.
 *
 * A value util.inspect elided (`[Object]`, an `Elided` marker) passes anywhere: it is present but
 * unknown, and schemaViolations drops every issue at its path. So `true` means schemaViolations
 * finds nothing. Pure.
 */
import type * as z from 'zod';
import { isElided } from './elided';

/** `true` only when the schema it was compiled from accepts `value`. */
export type SchemaPredicate = (value: unknown) => boolean;

interface Def {
  type: string;
  checks?: readonly unknown[];
  shape?: Record<string, z.ZodType>;
  catchall?: z.ZodType;
  innerType?: z.ZodType;
  element?: z.ZodType;
  keyType?: z.ZodType;
  valueType?: z.ZodType;
  entries?: Record<string, unknown>;
}

const defOf = (schema: z.ZodType): Def => (schema as unknown as { _zod: { def: Def } })._zod.def;

/** An object zod's records accept for sure: a plain prototype and no `constructor` key of its own. */
const isPlainRecord = (value: unknown): value is Record<string, unknown> => {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const prototype = Object.getPrototypeOf(value);
  return (prototype === Object.prototype || prototype === null) && !Object.hasOwn(value, 'constructor');
};

const compile = (schema: z.ZodType): SchemaPredicate | undefined => {
  const predicate = compileDef(schema);
  return predicate && ((value) => predicate(value) || isElided(value));
};

const compileDef = (schema: z.ZodType): SchemaPredicate | undefined => {
  const def = defOf(schema);
  if (def.checks !== undefined && def.checks.length > 0) return undefined;
  switch (def.type) {
    case 'unknown':
      return () => true;
    case 'boolean':
      return (value) => typeof value === 'boolean';
    case 'string':
      return (value) => typeof value === 'string';
    case 'enum': {
      const values = new Set(Object.values(def.entries ?? {}));
      return (value) => values.has(value);
    }
    case 'optional': {
      const inner = def.innerType && compile(def.innerType);
      return inner && ((value) => value === undefined || inner(value));
    }
    case 'nullable': {
      const inner = def.innerType && compile(def.innerType);
      return inner && ((value) => value === null || inner(value));
    }
    case 'array': {
      const element = def.element && compile(def.element);
      if (!element) return undefined;
      return (value) => {
        if (!Array.isArray(value)) return false;
        for (let index = 0; index < value.length; index++) if (!element(value[index])) return false;
        return true;
      };
    }
    case 'record': {
      const key = def.keyType && defOf(def.keyType);
      const item = def.valueType && compile(def.valueType);
      if (key?.type !== 'string' || (key.checks?.length ?? 0) > 0 || !item) return undefined;
      return (value) => {
        if (!isPlainRecord(value)) return false;
        for (const name in value) if (!item(value[name])) return false;
        return true;
      };
    }
    case 'object': {
      // Extra keys: stripped (no catchall) or kept as unknown (looseObject) both accept them.
      if (def.catchall !== undefined && defOf(def.catchall).type !== 'unknown') return undefined;
      const fields: [string, SchemaPredicate][] = [];
      for (const [name, field] of Object.entries(def.shape ?? {})) {
        const predicate = compile(field);
        if (!predicate) return undefined;
        fields.push([name, predicate]);
      }
      return (value) => {
        if (!isPlainRecord(value)) return false;
        for (const [name, predicate] of fields) if (!predicate(value[name])) return false;
        return true;
      };
    }
    default:
      return undefined;
  }
};

const PREDICATES = new WeakMap<z.ZodType, SchemaPredicate | null>();

/** The schema's fast yes-check, compiled once; `undefined` when the schema uses a kind it does not read. */
export const schemaPredicate = (schema: z.ZodType): SchemaPredicate | undefined => {
  let predicate = PREDICATES.get(schema);
  if (predicate === undefined) {
    predicate = compile(schema) ?? null;
    PREDICATES.set(schema, predicate);
  }
  return predicate ?? undefined;
};
