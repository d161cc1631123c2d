/**
 * Swagger UI in a real browser (Debian's Chromium through playwright-core): the Authorize dialog
 * logs in with the OAuth2 password flow against POST /token, and "Try it out" then calls the
 * protected routes with the token. Skipped, with the reason printed, where Chromium is absent.
 */
import { existsSync } from 'node:fs'
import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import { chromium, type Browser, type Page } from 'playwright-core'
import { startTestServer, type TestServer } from '../helpers/server.js'

const CHROMIUM = '/usr/bin/chromium'
const skip = existsSync(CHROMIUM) ? false : `${CHROMIUM} not found (apt-get install -y chromium)`
if (skip !== false) console.log(`# browser tests skipped: ${skip}`)

const LAUNCH_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking']

describe('browser: Swagger UI Authorize with the password flow', { skip }, () => {
  let server: TestServer
  let browser: Browser

  before(async () => {
    server = await startTestServer()
    browser = await chromium.launch({ executablePath: CHROMIUM, args: LAUNCH_ARGS })
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

  async function tryItOut(page: Page, path: string): Promise<{ status: string; body: string }> {
    const operation = page
      .locator('.opblock-get')
      .filter({ has: page.locator(`.opblock-summary-path[data-path="${path}"]`) })
    await operation.locator('.opblock-summary').click()
    await operation.locator('button.try-out__btn').click()
    await operation.locator('button.execute').click()
    const row = operation.locator('.live-responses-table .response').first()
    await row.waitFor()
    const status = (await row.locator('.response-col_status').innerText()).trim()
    const body = await row.locator('.response-col_description pre').first().innerText()
    return { status, body }
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
