/** Reads one node's input values out of a request's cache: `{ [key]: slots[slot] }`. */
export type ValuesBuilder = (slots: readonly unknown[]) => Record<string, unknown>

/**
 * Compiles the reader of `{ [keys[i]]: slots[slotIndexes[i]] }`, once per node at startup, into a
 * single object literal (the way Fastify compiles its serializers). Adding the keys one by one at
 * run time goes through megamorphic keyed stores and costs about half of an all-sync resolution;
 * the literal is built in one step, and every dependency function receives objects of one shape.
 *
 * The generated source holds only JSON string literals of the keys and integer slot indexes.
 * Where code generation is disallowed (`--disallow-code-generation-from-strings`), the reader
 * is the plain loop.
 *
 * @example
 * ```ts
 * compileValuesBuilder(['token', 'user'], [0, 2])(['t', 'x', 'u']) // { token: 't', user: 'u' }
 * ```
 */
export function compileValuesBuilder(
  keys: readonly string[],
  slotIndexes: readonly number[],
): ValuesBuilder {
  const properties = keys.map((key, i) => `${propertyName(key)}: slots[${slotIndexes[i] ?? -1}]`)
  try {
    // eslint-disable-next-line @typescript-eslint/no-implied-eval -- see the doc comment
    return new Function('slots', `return { ${properties.join(', ')} }`) as ValuesBuilder
  } catch {
    return loopBuilder(keys, slotIndexes)
  }
}

/** `"__proto__": x` in a literal would set the prototype; the computed form defines a key. */
function propertyName(key: string): string {
  return key === '__proto__' ? '["__proto__"]' : JSON.stringify(key)
}

function loopBuilder(keys: readonly string[], slotIndexes: readonly number[]): ValuesBuilder {
  return (slots) => {
    const values: Record<string, unknown> = {}
    for (let i = 0; i < keys.length; i++) {
      Object.defineProperty(values, keys[i] as string, {
        value: slots[slotIndexes[i] as number],
        enumerable: true,
        writable: true,
        configurable: true,
      })
    }
    return values
  }
}
