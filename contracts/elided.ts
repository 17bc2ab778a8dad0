/**
 * Stands in for a value that `util.inspect` elided (`[Object]`, `[Array]`, `[Function: x]`,
 * `[Circular *1]`, ...): present, but of unknown content. Validators must not judge it.
 */
export class Elided {
  constructor(readonly text: string) {}
  toJSON(): string {
    return this.text;
  }
}

/** True for a value `util.inspect` elided. */
export const isElided = (value: unknown): value is Elided => value instanceof Elided;
