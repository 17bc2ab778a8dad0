import { describe, expect, it } from 'vitest';
import * as z from 'zod';
import { lazySchema } from '../../runtime/lazy-schema';

describe('lazySchema', () => {
  it('builds nothing at creation, then builds once on first use', () => {
    let builds = 0;
    const schema = lazySchema(() => {
      builds += 1;
      return z.object({ name: z.string().min(1) });
    });
    expect(builds).toBe(0);
    expect(schema.parse({ name: 'pool' })).toEqual({ name: 'pool' });
    expect(schema.safeParse({ name: '' }).success).toBe(false);
    expect(builds).toBe(1);
  });

  it('composes in other schemas, lazily too, with the errors and types of the real schema', () => {
    let inner = 0;
    const idSchema = lazySchema(() => {
      inner += 1;
      return z.string().regex(/^us-east-1_\w+$/, 'expected a user pool id');
    });
    const poolSchema = lazySchema(() =>
      z.strictObject({ userPoolId: idSchema, tags: z.array(idSchema).optional() }),
    );
    expect(inner).toBe(0);
    const parsed: z.infer<typeof poolSchema> = poolSchema.parse({ userPoolId: 'us-east-1_Abc' });
    expect(parsed).toEqual({ userPoolId: 'us-east-1_Abc' });
    const failed = poolSchema.safeParse({ userPoolId: 'nope', extra: 1 });
    expect(failed.error?.issues.map((issue) => [issue.path.join('.'), issue.message])).toEqual([
      ['userPoolId', 'expected a user pool id'],
      ['', 'Unrecognized key: "extra"'],
    ]);
    expect(inner).toBe(1);
    expect(idSchema instanceof z.ZodString).toBe(true);
    expect(idSchema.optional().parse(undefined)).toBeUndefined();
  });
});
