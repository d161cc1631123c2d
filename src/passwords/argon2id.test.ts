import assert from 'node:assert/strict'
import { after, describe, it } from 'node:test'
import { parseOptions } from '@node-rs/argon2'
import { GatehouseConfigError } from '../errors.js'
import {
  createArgon2Hasher,
  MAX_PASSWORD_BYTES,
  type Argon2HasherOptions,
  type PooledArgon2Hasher,
} from './index.js'

// Small parameters keep the suite fast; one test below runs the OWASP defaults.
const fast = { memoryCost: 1024, timeCost: 1 }
const PHC = /^\$argon2id\$v=19\$m=1024,t=1,p=1\$[A-Za-z0-9+/]{22}\$[A-Za-z0-9+/]{43}$/

/** Runs `check` against a new hasher and closes it (each hasher owns its threads). */
async function withHasher<T>(
  options: Argon2HasherOptions,
  check: (hasher: PooledArgon2Hasher) => Promise<T> | T,
): Promise<T> {
  const hasher = createArgon2Hasher(options)
  try {
    return await check(hasher)
  } finally {
    await hasher.close()
  }
}

describe('createArgon2Hasher', () => {
  // One hasher for the tests that need no other parameters: a thread starts in ~0.5 s under tsx.
  const hasher = createArgon2Hasher(fast)
  after(() => hasher.close())

  it('hashes into an argon2id PHC string with the configured parameters', async () => {
    const hash = await hasher.hash('correct horse battery staple')
    assert.match(hash, PHC)
  })

  it('salts every hash: the same password hashes differently twice', async () => {
    assert.notEqual(await hasher.hash('same'), await hasher.hash('same'))
  })

  it('verifies the right password: true', async () => {
    const hash = await hasher.hash('secret')
    assert.equal(await hasher.verify(hash, 'secret'), true)
  })

  it('rejects a wrong password: false', async () => {
    const hash = await hasher.hash('secret')
    assert.equal(await hasher.verify(hash, 'Secret'), false)
    assert.equal(await hasher.verify(hash, 'secret '), false)
    assert.equal(await hasher.verify(hash, ''), false)
  })

  it('handles unicode and matches composed and decomposed forms (NFC)', async () => {
    const composed = 'p\u00e4ssw\u00f6rd-\u5bc6\u7801-\u{1f511}'
    const hash = await hasher.hash(composed)
    assert.equal(await hasher.verify(hash, composed), true)
    assert.equal(await hasher.verify(hash, composed.normalize('NFD')), true)
    assert.equal(await hasher.verify(hash, 'passwort-\u5bc6\u7801-\u{1f511}'), false)
  })

  it('answers false for a malformed stored hash instead of throwing', async () => {
    assert.equal(await hasher.verify('not-a-hash', 'secret'), false)
    assert.equal(await hasher.verify('$argon2id$v=19$m=1024,t=1,p=1$bad$bad', 'secret'), false)
  })

  it(`rejects over ${MAX_PASSWORD_BYTES} UTF-8 bytes: hash throws, verify is false`, async () => {
    const atLimit = 'a'.repeat(MAX_PASSWORD_BYTES)
    const overLimit = '\u00e9'.repeat(MAX_PASSWORD_BYTES / 2 + 1) // 2 bytes each: 1026 bytes
    const hash = await hasher.hash(atLimit)
    assert.equal(await hasher.verify(hash, atLimit), true)
    assert.equal(await hasher.verify(hash, atLimit + 'a'), false)
    await assert.rejects(hasher.hash(overLimit), {
      name: 'RangeError',
      message: 'password must be at most 1024 bytes of UTF-8',
    })
  })

  it('refuses to hash an empty password', async () => {
    await assert.rejects(hasher.hash(''), {
      name: 'RangeError',
      message: 'password must be a non-empty string',
    })
  })

  it('verifyDummy runs a real verification and resolves false', async () => {
    assert.equal(await hasher.verifyDummy('secret'), false)
    assert.equal(await hasher.verifyDummy(''), false)
  })

  it('verifyDummy costs about as much as a wrong-password verify', async () => {
    await withHasher({ memoryCost: 8192, timeCost: 2, threads: 1 }, async (hasher) => {
      const hash = await hasher.hash('secret')
      await hasher.verifyDummy('warm-up')
      const time = async (run: () => Promise<boolean>): Promise<number> => {
        const start = process.hrtime.bigint()
        await run()
        return Number(process.hrtime.bigint() - start)
      }
      // Interleaved, and the fastest of each kept: other work on the machine only ever slows a
      // run down, so the minima compare the work itself, not the load.
      let wrong = Infinity
      let dummy = Infinity
      for (let i = 0; i < 6; i += 1) {
        wrong = Math.min(wrong, await time(() => hasher.verify(hash, 'wrong')))
        dummy = Math.min(dummy, await time(() => hasher.verifyDummy('wrong')))
      }
      // Both do one argon2 pass with equal parameters; without the dummy verify the unknown-user
      // path would be ~1000x faster. A factor of 3 leaves room for scheduling noise.
      assert.ok(dummy > wrong / 3 && dummy < wrong * 3, `dummy ${dummy}ns vs wrong ${wrong}ns`)
    })
  })

  describe('needsRehash', () => {
    it('is false for a hash made with the current parameters', async () => {
      assert.equal(hasher.needsRehash(await hasher.hash('secret')), false)
    })

    it('is true when memoryCost, timeCost or parallelism changed', async () => {
      const hash = await hasher.hash('secret')
      const changes = [{ memoryCost: 2048 }, { timeCost: 2 }, { parallelism: 2 }]
      const answers = await Promise.all(
        changes.map((change) =>
          withHasher({ ...fast, ...change, threads: 1 }, (other) => other.needsRehash(hash)),
        ),
      )
      assert.deepEqual(answers, [true, true, true])
    })

    it('is true for another argon2 variant or a non-argon2 hash', () => {
      const argon2i = '$argon2i$v=19$m=1024,t=1,p=1$c29tZXNhbHRzb21lc2FsdA$' + 'A'.repeat(43)
      assert.equal(hasher.needsRehash(argon2i), true)
      assert.equal(
        hasher.needsRehash('$2b$12$abcdefghijklmnopqrstuuABCDEFGHIJKLMNOPQRSTUVWXYZ01234'),
        true,
      )
      assert.equal(hasher.needsRehash(''), true)
    })
  })

  it('uses the OWASP defaults (m=19456, t=2, p=1) when given no options', async () => {
    await withHasher({}, async (owasp) => {
      assert.deepEqual(owasp.parameters, { memoryCost: 19456, timeCost: 2, parallelism: 1 })
      const hash = await owasp.hash('secret')
      assert.match(hash, /^\$argon2id\$v=19\$m=19456,t=2,p=1\$/)
      assert.equal(parseOptions(hash).outputLen, 32)
      assert.equal(await owasp.verify(hash, 'secret'), true)
      assert.equal(owasp.needsRehash(hash), false)
    })
  })

  it('rejects out-of-range parameters at construction', () => {
    const cases: Array<[object, string]> = [
      [{ memoryCost: 4 }, '`memoryCost` must be an integer from 8 to 4294967295, got 4'],
      [{ timeCost: 0 }, '`timeCost` must be an integer from 1 to 4294967295, got 0'],
      [{ parallelism: 1.5 }, '`parallelism` must be an integer from 1 to 255, got 1.5'],
      [{ threads: 0 }, '`threads` must be an integer from 1 to 1024, got 0'],
      [{ maxQueue: -1 }, '`maxQueue` must be an integer from 0 to 2147483647, got -1'],
      [{ niceIncrement: 20 }, '`niceIncrement` must be an integer from 0 to 19, got 20'],
    ]
    for (const [options, message] of cases) {
      assert.throws(
        () => createArgon2Hasher(options),
        (error: unknown) => {
          assert.ok(error instanceof GatehouseConfigError)
          assert.equal(error.code, 'GH_ERR_CONFIG_INVALID')
          assert.equal(error.message, message)
          return true
        },
      )
    }
  })
})
