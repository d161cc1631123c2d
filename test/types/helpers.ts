/** `true` when `A` and `B` are the same type (the jose / type-fest idiom). */
export type Equals<A, B> =
  (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false

/** Compiles only when `T` is `true`. */
export function expectType<T extends true>(_proof?: T): void {}
