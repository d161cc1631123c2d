import type { Migration, MigrationProvider } from 'kysely'
import { initial } from './0001-initial.js'

/** Every migration, by name. Forward-only: append, never edit or reorder a shipped one. */
export const MIGRATIONS: Readonly<Record<string, Migration>> = Object.freeze({
  '0001-initial': initial,
})

/** Kysely's provider over the in-code {@link MIGRATIONS} (no file-system scanning at runtime). */
export const migrationProvider: MigrationProvider = {
  getMigrations: async () => ({ ...MIGRATIONS }),
}
