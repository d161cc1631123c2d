/**
 * Swagger UI in a real browser (Debian's Chromium through playwright-core): the Authorize dialog
 * logs in with the OAuth2 password flow against POST /token, and "Try it out" then calls the
 * protected routes with the token. Skipped, with the reason printed, where Chromium is absent.
 */
import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import type { Browser, Page } from 'playwright-core'
import { startTestServer, type TestServer } from '../helpers/server.js'
import { BROWSER_SKIP, launchChromium, tryItOut } from '../helpers/swagger-ui.js'

const skip = BROWSER_SKIP
if (skip !== false) console.log(`# browser tests skipped: ${skip}`)

describe('browser: Swagger UI Authorize with the password flow', { skip }, () => {
  let server: TestServer
  let browser: Browser

  before(async () => {
    server = await startTestServer()
    browser = await launchChromium()
  })

  after(async () => {
    await browser?.close()
    await server?.close()
  })

  async function openDocs(): Promise<{ page: Page; tokenRequests: string[] }> {
    const page = await browser.newPage()
    const tokenRequests: string[] = []
    page.on('request', (request) => {
      if (request.url().endsWith('/token')) tokenRequests.push(request.postData() ?? '')
    })
    await page.goto(`${server.url}/docs`)
    await page.locator('.btn.authorize').first().waitFor()
    return { page, tokenRequests }
  }

  async function authorize(page: Page, username: string, password: string, scopes: string[]) {
    await page.locator('.btn.authorize').first().click()
    const dialog = page.locator('.modal-ux')
    await dialog.locator('#oauth_username').fill(username)
    await dialog.locator('#oauth_password').fill(password)
    for (const scope of scopes) await dialog.locator(`label[for^="${scope}-"]`).first().click()
    await dialog.locator('button.modal-btn.authorize').click()
    await dialog.locator('button.modal-btn.auth', { hasText: 'Logout' }).waitFor()
    await dialog.locator('button.btn-done').click()
  }

  test('user1 logs in from the dialog (Swagger UI sends empty client credentials) and calls /secure-endpoint: 200', async () => {
    const { page, tokenRequests } = await openDocs()
    await authorize(page, 'user1', 'secret', ['read'])
    assert.equal(tokenRequests.length, 1)
    const form = new URLSearchParams(tokenRequests[0])
    assert.equal(form.get('grant_type'), 'password')
    assert.equal(form.get('username'), 'user1')
    assert.equal(form.get('scope'), 'read')

    const result = await tryItOut(page, '/secure-endpoint')
    assert.equal(result.status, '200')
    assert.match(result.body, /"user": "user1"/)
    await page.close()
  })

  test('user1 from the dialog is refused on /admin/: 403 insufficient_scope', async () => {
    const { page } = await openDocs()
    await authorize(page, 'user1', 'secret', [])
    const result = await tryItOut(page, '/admin/')
    assert.equal(result.status, '403')
    assert.match(result.body, /"error": "insufficient_scope"/)
    await page.close()
  })
})
