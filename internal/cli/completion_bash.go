package cli

import (
	"bytes"
	"io"
	"reflect"
	"regexp"
	"slices"
	"strings"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"github.com/fsdeck/fsdeck/internal/hosts/builtin"
	sess "github.com/fsdeck/fsdeck/internal/session"
)

// bashPreamble gives cobra's bash completion (v2) the two functions it
// takes from the bash-completion package, which a plain bash (bash
// --norc, macOS, a minimal container) lacks: without them every Tab said
// "_get_comp_words_by_ref: command not found". Each uses the package's
// own function when it is loaded, else a small one of ours: words split
// on blanks outside quotes up to the cursor (so --to=imgbb and a:b stay
// one word, as the package's -n =: gives), and compgen for file names.
const bashPreamble = `# Without the bash-completion package, fsdeck completes with these.
__fsdeck_get_comp_words_by_ref()
{
    if declare -F _get_comp_words_by_ref >/dev/null 2>&1; then
        _get_comp_words_by_ref "$@"
        return
    fi
    local line=${COMP_LINE:0:COMP_POINT} word="" quote="" c i started=0
    words=()
    for ((i = 0; i < ${#line}; i++)); do
        c=${line:i:1}
        if [[ -n $quote ]]; then
            word+=$c
            if [[ $c == "$quote" ]]; then
                quote=""
            elif [[ $c == \\ && $quote == \" ]]; then
                ((i++))
                word+=${line:i:1}
            fi
            continue
        fi
        case $c in
        ' ' | $'\t' | $'\n')
            if ((started)); then
                words+=("$word")
                word="" started=0
            fi
            ;;
        \\)
            ((i++))
            word+=$c${line:i:1} started=1
            ;;
        \' | \")
            quote=$c word+=$c started=1
            ;;
        *)
            word+=$c started=1
            ;;
        esac
    done
    words+=("$word")
    cword=$((${#words[@]} - 1))
    cur=${words[cword]}
    prev=""
    if ((cword > 0)); then
        prev=${words[cword - 1]}
    fi
}

__fsdeck_filedir()
{
    if declare -F _filedir >/dev/null 2>&1; then
        _filedir "$@"
        return
    fi
    local IFS=$'\n' ext=${1%|}
    if [[ $1 == -d ]]; then
        COMPREPLY+=($(compgen -d -- "$cur"))
    elif [[ -n $ext ]]; then
        local glob
        glob=$(shopt -p extglob)
        shopt -s extglob
        COMPREPLY+=($(compgen -d -- "$cur") $(compgen -f -X "!*.@($ext)" -- "$cur"))
        eval "$glob"
    else
        COMPREPLY+=($(compgen -f -- "$cur"))
    fi
    compopt -o filenames 2>/dev/null
}

`

// bashHelpers are the bash-completion functions cobra's script calls,
// each as a whole word.
var bashHelpers = regexp.MustCompile(`\b(_get_comp_words_by_ref|_filedir)\b`)

// genBashCompletion writes cobra's bash completion (v2) for root, made to
// work in a plain bash (see bashPreamble).
func genBashCompletion(root *cobra.Command, w io.Writer) error {
	var b bytes.Buffer
	if err := root.GenBashCompletionV2(&b, true); err != nil {
		return err
	}
	script := bashHelpers.ReplaceAllString(b.String(), "__fsdeck$1")
	// The preamble goes after the first line (the script's title).
	title, rest, _ := strings.Cut(script, "\n")
	_, err := io.WriteString(w, title+"\n\n"+bashPreamble+rest)
	return err
}

// flagValues are the values the shells complete for flags of these
// names, wherever they are (upload's --location, serve's --limits, …);
// nil values with a directive complete directories.
func flagValues() map[string][]string {
	targets := sess.TargetNames(builtin.Registry())
	limits := []string{"on", "off"}
	for _, t := range targets {
		if t != builtin.Registry().Root() {
			limits = append(limits, t+"=on", t+"=off")
		}
	}
	return map[string][]string{
		"location":  storeLocations,
		"access":    {"public", "private"},
		"privacy":   {"public", "unlisted", "private"},
		"expiry":    {"10m", "1h", "1d", "1w"},
		"signed":    {"10m", "1h", "1d", "1w"},
		"part-size": {"5MiB", "8MiB", "16MiB", "64MiB"},
		"limits":    limits,
	}
}

// dirFlags are flags whose value is a directory.
var dirFlags = []string{"data", "dir"}

// registerCompletions completes, on every command of root's tree, the
// values of the flags flagValues and dirFlags name (where the command
// has not its own completion for them), and nothing for the arguments of
// a command that takes none (not the file names bash offers by default).
func registerCompletions(root *cobra.Command) {
	values := flagValues()
	var walk func(*cobra.Command)
	walk = func(c *cobra.Command) {
		for _, sub := range c.Commands() {
			walk(sub)
		}
		c.Flags().VisitAll(func(fl *pflag.Flag) {
			if _, has := c.GetFlagCompletionFunc(fl.Name); has {
				return
			}
			if v, ok := values[fl.Name]; ok {
				c.RegisterFlagCompletionFunc(fl.Name, cobra.FixedCompletions(v, cobra.ShellCompDirectiveNoFileComp))
			} else if slices.Contains(dirFlags, fl.Name) {
				c.RegisterFlagCompletionFunc(fl.Name, cobra.FixedCompletions(nil, cobra.ShellCompDirectiveFilterDirs))
			}
		})
		if c.Args != nil && c.ValidArgsFunction == nil && len(c.ValidArgs) == 0 && !c.HasSubCommands() &&
			reflect.ValueOf(c.Args).Pointer() == reflect.ValueOf(cobra.PositionalArgs(noArgs)).Pointer() {
			c.ValidArgsFunction = cobra.NoFileCompletions
		}
	}
	walk(root)
}
