/**
 * Driving Swagger UI in Debian's Chromium through playwright-core, for the browser suites: the
 * launch, and "Try it out" on one operation.
 */
import { existsSync } from 'node:fs'
import { chromium, type Browser, type Page } from 'playwright-core'

/** Debian's Chromium; never a downloaded browser. */
export const CHROMIUM = '/usr/bin/chromium'

/** `false`, or why the browser suites are skipped (printed once by each suite). */
export const BROWSER_SKIP: string | false = existsSync(CHROMIUM)
  ? false
  : `${CHROMIUM} not found (apt-get install -y chromium)`

const LAUNCH_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking']

/** Launches headless Chromium with the flags this machine needs. */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM, args: LAUNCH_ARGS })
}

/** Opens an operation, presses "Try it out" and "Execute", and reads the live response. */
export async function tryItOut(
  page: Page,
  path: string,
): Promise<{ status: string; body: string }> {
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
