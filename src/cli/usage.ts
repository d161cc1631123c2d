/** Help texts of the `gatehouse` command. */

/** `gatehouse --help`. */
export const MAIN_HELP = `Usage: gatehouse <command> [options]

Commands:
  start-dev                 Start in dev mode: generated key, SQLite under ./data, demo users
  start                     Start in production mode (needs GATEHOUSE_SIGNING_KEY and a database)
  migrate                   Create or upgrade the database schema
  users add <username> [--scopes "read write"]
                            Add a user (scopes default to "read"); the password is read
                            from the terminal (twice, not echoed) or the first line of stdin
  users list                List users
  users set-scopes <username> <scopes>
                            Replace a user's scopes (space-separated, e.g. "read write")
  users passwd <username>   Set a new password (ends the user's current tokens)
  users disable <username>  Disable a user (ends the user's current tokens)
  users enable <username>   Enable a user
  users delete <username>   Delete a user
  keys generate             Print a new random signing key (base64url, 256 bits)

Server options (start-dev, start):
  --port <n>                Port (env PORT; default 8000)
  --host <address>          Interface (env HOST; default 127.0.0.1)
  --data-dir <dir>          Data directory (env GATEHOUSE_DATA_DIR; default ./data)
  --tls-cert <file>         PEM certificate: serve HTTPS (env GATEHOUSE_TLS_CERT)
  --tls-key <file>          PEM private key (env GATEHOUSE_TLS_KEY)
  --log-level <level>       fatal|error|warn|info|debug|trace|silent (default info)

The users and migrate commands take --data-dir too, and honour GATEHOUSE_DATABASE_URL /
DATABASE_URL, so they act on the same database as the server. See docs/configuration.md.

Exit codes: 0 success, 1 runtime failure, 2 usage or configuration error.
`
