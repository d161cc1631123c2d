import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import type { UserStatus } from '../store/index.js'
import { principals, type ServerUsers } from './services.js'

const STATUS: UserStatus = Object.freeze({
  username: 'alice',
  disabled: false,
  tokensValidAfter: 0,
  scopes: ['read'],
})

describe('principals', () => {
  it('looks the subject up with the pre-compiled findStatusById, never a full user query', async () => {
    const asked: string[] = []
    const users: ServerUsers = {
      findByUsername: async () => assert.fail('findByUsername is not for the request path'),
      rehashPassword: async () => assert.fail('rehashPassword is not for the request path'),
      findStatusById: async (id) => {
        asked.push(id)
        return id === 'u-1' ? STATUS : undefined
      },
    }
    const directory = principals(users)
    assert.equal(await directory.findBySubject('u-1'), STATUS)
    assert.equal(await directory.findBySubject('u-2'), undefined)
    assert.deepEqual(asked, ['u-1', 'u-2'])
  })
})
