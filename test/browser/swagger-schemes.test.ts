/**
 * Swagger UI in a real browser against the library example app (examples/library-app.ts): the
 * Authorize dialog takes an API key and HTTP Basic credentials, and "Try it out" sends them, so
 * the routes answer 200. Skipped, with the reason printed, where Chromium is absent.
 */
import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import type { FastifyInstance } from 'fastify'
import type { Browser, Page } from 'playwright-core'
import { buildApp } from '../../examples/library-app.js'
import { BROWSER_SKIP, launchChromium, tryItOut } from '../helpers/swagger-ui.js'

const skip = BROWSER_SKIP
if (skip !== false) console.log(`# browser tests skipped: ${skip}`)

describe('browser: Swagger UI Authorize with an API key and HTTP Basic', { skip }, () => {
  let app: FastifyInstance
  let url: string
  let browser: Browser

  before(async () => {
    ;({ app } = await buildApp())
    url = await app.listen({ port: 0, host: '127.0.0.1' })
    browser = await launchChromium()
  })

  after(async () => {
    await browser?.close()
    await app?.close()
  })

  async function openDocs(): Promise<{ page: Page; sent: Map<string, Record<string, string>> }> {
    const page = await browser.newPage()
    const sent = new Map<string, Record<string, string>>()
    page.on('request', (request) => sent.set(new URL(request.url()).pathname, request.headers()))
    await page.goto(`${url}/docs`)
    await page.locator('.btn.authorize').first().waitFor()
    return { page, sent }
  }

  /** Fills the dialog's section for one scheme and authorizes it. */
  async function authorize(page: Page, schemeName: string, values: readonly string[]) {
    await page.locator('.btn.authorize').first().click()
    const section = page
      .locator('.modal-ux .auth-container')
      .filter({ has: page.locator('h4', { hasText: schemeName }) })
    const inputs = section.locator('input')
    for (const [i, value] of values.entries()) await inputs.nth(i).fill(value)
    await section.locator('button.modal-btn.authorize').click()
    await section.locator('button.modal-btn.auth', { hasText: 'Logout' }).waitFor()
    await page.locator('.modal-ux button.close-modal').click()
  }

  test('an API key from the dialog goes out as X-API-Key: /service/status 200', async () => {
    const { page, sent } = await openDocs()
    await authorize(page, 'APIKeyHeader', ['demo-billing-key'])
    const result = await tryItOut(page, '/service/status')
    assert.equal(result.status, '200')
    assert.match(result.body, /"service": "billing"/)
    assert.equal(sent.get('/service/status')?.['x-api-key'], 'demo-billing-key')
    await page.close()
  })

  test('Basic credentials from the dialog go out as Authorization: Basic: /reports/daily 200', async () => {
    const { page, sent } = await openDocs()
    await authorize(page, 'HTTPBasic', ['auditor', 'correct horse battery staple'])
    const result = await tryItOut(page, '/reports/daily')
    assert.equal(result.status, '200')
    assert.match(result.body, /"requestedBy": "auditor"/)
    const expected = `Basic ${Buffer.from('auditor:correct horse battery staple').toString('base64')}`
    assert.equal(sent.get('/reports/daily')?.['authorization'], expected)
    await page.close()
  })
})
