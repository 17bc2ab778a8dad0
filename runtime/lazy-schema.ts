/**
 * Module-scope zod schemas built on first use instead of at import: building a schema is most of
 * what zod costs at start-up, and a Lambda function's init phase needs none of them.
 */

/**
 * A stand-in for the value `build` returns, built on the first property access and shared from
 * then on: `export const thingSchema = lazySchema(() => z.object({ ... }))` keeps the schema's type
 * and every use (`thingSchema.parse(...)`, `z.infer<typeof thingSchema>`, composition in another
 * schema) while the module's import builds nothing.
 */
export const lazySchema = <T extends object>(build: () => T): T => {
  let built: T | undefined;
  const real = (): T => {
    built ??= build();
    return built;
  };
  return new Proxy({} as T, {
    get: (_target, property) => {
      const value = real();
      return Reflect.get(value, property, value);
    },
    has: (_target, property) => Reflect.has(real(), property),
    set: (_target, property, next) => Reflect.set(real(), property, next),
    getPrototypeOf: () => Reflect.getPrototypeOf(real()),
  });
};
