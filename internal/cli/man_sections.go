package cli

import (
	"strings"

	"github.com/spf13/cobra"
)

// The man pages' sections beyond what cobra generates (NAME, SYNOPSIS,
// DESCRIPTION, OPTIONS, EXAMPLE, SEE ALSO): cobra's man generator reads
// the description as Markdown, so these are Markdown sections appended to
// it for the pages only (`fsdeck man`), never to --help.

const manExitStatus = `# EXIT STATUS
**0**
: everything asked for was done.

**1**
: some results failed (each is named on standard error; the rest were still done), a damaged ledger, or ` + "`config check`" + ` found a problem.

**2**
: usage error, before anything is sent: an unknown command or flag, a bad argument or flag value (--access, --location, --concurrency 1 to 64, a duration for --signed or --expiry), flags that exclude each other given together (--json and --quiet), a confirmation with no terminal to ask on, an operation the target cannot do.

**3**
: a key was rejected, none is set where one is needed, or the app secret was rejected or is missing.

**4**
: the server could not be reached (refused, reset, timed out, unresolvable) and nothing else failed, or --timeout ran out: running the same command again may succeed.

**130**, **143**, **129**
: interrupted by Ctrl-C (SIGINT), SIGTERM or SIGHUP (128 + the signal's number): unfinished uploads stay journaled and partial downloads are kept; the same command continues them.
`

const manEnvironment = `# ENVIRONMENT
**FILESTACK_API_KEY**, **FILESTACK_APP_SECRET**
: the Filestack API key and app secret, before the OS keyring. With no key, fsdeck runs in local mode against its built-in server.

**FSDECK_IMGBB_KEY**, **FSDECK_PASTEBIN_KEY**, **FSDECK_GYAZO_KEY**, **FSDECK_GOFILE_KEY**, **FSDECK_DDOWNLOAD_KEY**
: a hosting target's key or token, before the keyring; without one the target's emulator in the local server is used.

**FSDECK_PASTEBIN_USER**, **FSDECK_PASTEBIN_PASSWORD**
: Pastebin's account login (private pastes, deleting and listing).

**FSDECK_ENDPOINT**
: with a key, a Filestack-compatible server's base URL (such as http://127.0.0.1:8899) to use instead of Filestack's hosts.

**FSDECK_LOCAL_ADDR**
: the local server's address (else [local] addr in config.toml, else 127.0.0.1:7337); --addr wins.

**FSDECK_DATA_DIR**, **FSDECK_CONFIG_DIR**
: the data directory (ledger, journal, local server) and the config directory, instead of the platform's ($XDG_DATA_HOME/fsdeck and $XDG_CONFIG_HOME/fsdeck on Linux).

**FSDECK_ALLOW_PRIVATE_URLS**
: 1 lets the local server's store-from-URL reach loopback, private and link-local addresses.

**FSDECK_SERVE_APIKEY**, **FSDECK_SERVE_SECRET**
: fsdeck serve's API key and app secret, kept out of the command line.

**GOMEMLIMIT**
: when set, fsdeck serve leaves Go's soft memory limit to it instead of its --memory-budget.

**DBUS_SESSION_BUS_ADDRESS**
: the session bus of the Secret Service (Linux); without one the keyring is reported unavailable and the variables above stand in.
`

const manFiles = `# FILES
**$XDG_CONFIG_HOME/fsdeck/config.toml**
: the configuration (` + "`fsdeck config path`" + ` prints where it is, ` + "`fsdeck config default`" + ` the documented default).

**$XDG_DATA_HOME/fsdeck/ledger.db**
: the ledger of remote files, the upload journal and bookmarks (SQLite); ` + "`fsdeck doctor`" + ` checks and rebuilds it.

**$XDG_DATA_HOME/fsdeck/local-server/**
: the local server's files, sessions, cache and its own key (credentials.json, owner-only), shared by local mode and fsdeck serve.
`

const manJSON = `# JSON OUTPUT
With **--json**, each result is one JSON object on its own line (JSON Lines), with all of these fields (empty or 0 when they do not apply):

**handle**
: the Filestack handle (for other targets, the service's id).

**url**
: its delivery URL (for other targets, the service's main URL).

**filename**
: the file name on the server (get too, where -o or a name the disk cannot hold saves it under another: see saved_as); a name uploaded that is not UTF-8 is kept exactly in the ledger (filename_bytes).

**size**
: bytes.

**type**
: MIME type.

**path**
: the local path (upload: absolute, empty for --stdin-name; get: where it was saved), the store path (ls, stat, url, import), or the URL (store-url).

**status**
: stored, resumed, skipped, saved, deleted, forgotten, imported, ok, gone, abandoned (resume --abandon) or failed; with --dry-run also would-store, would-resume, would-delete or excluded.

**error**
: why it failed.

**target**
: filestack, imgbb, pastebin, gyazo, gofile or ddownload.

**saved_as**
: get: the local path the file was saved at (empty for the other commands and a failed download).

**uploaded**
: when the file was uploaded, RFC 3339 in UTC; empty when not known.

**sha256**
: the SHA-256 of the file's content in hex; empty when not known.

**path_bytes**, **filename_bytes**, **saved_as_bytes**
: only when path, filename or saved_as is not valid UTF-8: its exact bytes in standard base64.

**reason**
: only when there is one (--dry-run, sync): why the file is sent or left out.
`

// addManSections appends the sections to every page's description: the
// whole-program page gets all four; a command's page its exit statuses,
// the JSON fields where it has --json, and the environment and files.
// It returns what puts the descriptions back.
func addManSections(root *cobra.Command) (restore func()) {
	type saved struct {
		cmd  *cobra.Command
		long string
	}
	var was []saved
	var walk func(c *cobra.Command)
	walk = func(c *cobra.Command) {
		was = append(was, saved{c, c.Long})
		long := c.Long
		if long == "" {
			long = c.Short
		}
		parts := []string{long, manExitStatus}
		if c.Flags().Lookup("json") != nil || c == root {
			parts = append(parts, manJSON)
		}
		parts = append(parts, manEnvironment, manFiles)
		c.Long = strings.Join(parts, "\n\n")
		for _, sub := range c.Commands() {
			if sub.IsAvailableCommand() {
				walk(sub)
			}
		}
	}
	walk(root)
	return func() {
		for _, s := range was {
			s.cmd.Long = s.long
		}
	}
}
