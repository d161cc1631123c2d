/**
 * Swagger UI's Authorize dialog logs in through the password flow, and "Try it out" then calls a
 * protected route with the token: the DESIGN's promise, checked in Debian's Chromium through
 * playwright-core. Skipped, with the reason, when Chromium is not installed.
 */
import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import type { Browser } from 'playwright-core'
import { startTestServer, type TestServer } from '../helpers/server.js'
import { BROWSER_SKIP, launchChromium } from '../helpers/swagger-ui.js'

describe(
  'Swagger UI at /docs',
  { skip: BROWSER_SKIP },
  () => {
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

    it('Authorize logs in with the password flow; Try it out sends the bearer token', async () => {
      const page = await browser.newPage()
      const consoleErrors: string[] = []
      page.on('console', (message) => {
        if (message.type() === 'error') consoleErrors.push(message.text())
      })
      await page.goto(`${server.url}/docs`)
      await page.locator('.btn.authorize').click()
      await page.locator('#oauth_username').fill('admin')
      await page.locator('#oauth_password').fill('admin-secret')
      const tokenRequest = page.waitForRequest((request) => request.url().endsWith('/token'))
      const tokenResponse = page.waitForResponse((response) => response.url().endsWith('/token'))
      await page.locator('.auth-btn-wrapper .btn.modal-btn.auth.authorize').click()
      const sent = await tokenRequest
      assert.equal(sent.method(), 'POST')
      assert.equal(sent.headers()['content-type'], 'application/x-www-form-urlencoded')
      assert.equal(sent.headers()['authorization'], 'Basic Og==')
      assert.equal((await tokenResponse).status(), 200)
      await page.locator('.btn-done').click()

      const operation = page.locator('.opblock').filter({ hasText: '/secure-endpoint' }).first()
      await operation.locator('.opblock-summary').click()
      await operation.locator('.try-out__btn').click()
      const secured = page.waitForRequest((request) => request.url().endsWith('/secure-endpoint'))
      const securedResponse = page.waitForResponse((response) =>
        response.url().endsWith('/secure-endpoint'),
      )
      await operation.locator('.execute').click()
      assert.match(
        (await secured).headers()['authorization'] ?? '',
        /^Bearer [\w-]+\.[\w-]+\.[\w-]+$/,
      )
      const response = await securedResponse
      assert.equal(response.status(), 200)
      assert.deepEqual(await response.json(), {
        message: 'Access granted to the secure endpoint',
        user: 'admin',
        scopes: ['read', 'write', 'admin'],
      })
      assert.deepEqual(consoleErrors, [])
      await page.close()
    })
  },
)
