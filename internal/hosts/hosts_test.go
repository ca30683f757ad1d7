package hosts_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/fsdeck/fsdeck/internal/hosts"
	"github.com/fsdeck/fsdeck/internal/hosts/imgbb"
)

const secret = "s3cr3t/k+y"

func TestKeyNeverFormats(t *testing.T) {
	k := hosts.Key(secret)
	j, _ := json.Marshal(struct{ K hosts.Key }{k})
	for _, s := range []string{fmt.Sprint(k), fmt.Sprintf("%v %s %q %#v", k, k, k, k), string(j)} {
		if strings.Contains(s, "s3cr3t") {
			t.Errorf("key leaked: %s", s)
		}
	}
	if k.Reveal() != secret {
		t.Error("Reveal must return the key")
	}
}

func TestRedactErrorKeepsCauseDropsSecret(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	req, _ := http.NewRequestWithContext(ctx, http.MethodGet, "http://127.0.0.1:1/x?key="+secret, nil)
	_, err := http.DefaultClient.Do(req)
	if err == nil || !strings.Contains(err.Error(), "s3cr3t") {
		t.Fatalf("precondition: net/http quotes the URL: %v", err)
	}
	red := hosts.RedactError(fmt.Errorf("upload: %w", err), secret)
	if strings.Contains(red.Error(), "s3cr3t") || !errors.Is(red, context.Canceled) {
		t.Fatalf("redacted = %v (canceled=%v)", red, errors.Is(red, context.Canceled))
	}
	plain := hosts.RedactError(errors.New("bad "+secret), secret)
	if strings.Contains(plain.Error(), "s3cr3t") {
		t.Fatal(plain)
	}
}

func TestCapabilitiesCheck(t *testing.T) {
	png := []byte("\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")
	img := hosts.Capabilities{Kind: hosts.ImagesOnly, MaxSize: 10, Expiry: hosts.ExpiryRule{Min: time.Minute, Max: time.Hour}}
	text := hosts.Capabilities{Kind: hosts.TextOnly, Privacy: true,
		Expiry: hosts.ExpiryRule{Choices: []time.Duration{10 * time.Minute, time.Hour}}}
	cases := []struct {
		c    hosts.Capabilities
		size int64
		head []byte
		o    hosts.UploadOptions
		ok   bool
	}{
		{img, 10, png, hosts.UploadOptions{}, true},
		{img, 11, png, hosts.UploadOptions{}, false},
		{img, 5, []byte("hello"), hosts.UploadOptions{}, false},
		{img, 5, png, hosts.UploadOptions{Expiry: time.Hour}, true},
		{img, 5, png, hosts.UploadOptions{Expiry: 59 * time.Second}, false},
		{img, 5, png, hosts.UploadOptions{Privacy: hosts.Unlisted}, false},
		{text, 5, []byte("héllo"), hosts.UploadOptions{Expiry: time.Hour, Privacy: hosts.Private}, true},
		{text, 5, []byte("hé")[:2], hosts.UploadOptions{}, true}, // rune cut by the sample end
		{text, 5, []byte("a\x00b"), hosts.UploadOptions{}, false},
		{text, 5, []byte("\xff\xfeab"), hosts.UploadOptions{}, false},
		{text, 5, []byte("x"), hosts.UploadOptions{Expiry: 2 * time.Hour}, false},
		{text, 0, nil, hosts.UploadOptions{}, false}, // an empty paste has no text
	}
	for i, tc := range cases {
		err := tc.c.Check("t", tc.size, tc.head, tc.o)
		if (err == nil) != tc.ok || (err != nil && !errors.Is(err, hosts.ErrRejected)) {
			t.Errorf("case %d: err = %v, want ok=%v", i, err, tc.ok)
		}
	}
	// Sizes are said as people read them, with the exact count.
	big := hosts.Capabilities{MaxSize: 32 << 20}
	if err := big.Check("imgbb", 400_000_000, png, hosts.UploadOptions{}); err == nil ||
		!strings.Contains(err.Error(), "file is 381 MiB (400000000 bytes); the limit is 32 MiB") {
		t.Errorf("size refusal: %v", err)
	}
}

func TestRegistry(t *testing.T) {
	r := hosts.NewRegistry(imgbb.Info())
	if got, mounted := r.Targets(), r.Mounted(); len(got) != 1 || got[0] != "imgbb" || len(mounted) != 1 || mounted[0] != "imgbb" || r.Root() != "" {
		t.Fatal(got, mounted, r.Root())
	}
	tg, err := r.New("imgbb", hosts.Config{Key: "k"})
	if err != nil || tg.Name() != "imgbb" || tg.Capabilities().MaxSize != imgbb.MaxSize {
		t.Fatal(tg, err)
	}
	if _, err := r.New("nope", hosts.Config{}); err == nil {
		t.Fatal("unknown target accepted")
	}
	if _, err := r.New("imgbb", hosts.Config{}); !errors.Is(err, hosts.ErrAuth) {
		t.Fatalf("missing key: %v", err)
	}
	defer func() {
		if recover() == nil {
			t.Fatal("duplicate registration accepted")
		}
	}()
	hosts.NewRegistry(imgbb.Info(), imgbb.Info())
}

// The root target (the server itself) lists first among the targets and
// not among those mounted under /NAME/; its emulator is the server, so
// its local URL is the server's own; two roots are a programming error.
func TestRegistryRoot(t *testing.T) {
	newTarget := func(hosts.Config) (hosts.Target, error) { return nil, nil }
	root := hosts.Info{Name: "zroot", Title: "Root", Root: true, New: newTarget}
	r := hosts.NewRegistry(imgbb.Info(), root, hosts.Info{Name: "aaa", New: newTarget})
	if got := strings.Join(r.Targets(), ","); got != "zroot,aaa,imgbb" {
		t.Errorf("Targets = %s", got)
	}
	if got := strings.Join(r.Mounted(), ","); got != "aaa,imgbb" || r.Root() != "zroot" {
		t.Errorf("Mounted = %s, Root = %q", got, r.Root())
	}
	if got := root.LocalURL("http://127.0.0.1:7337/"); got != "http://127.0.0.1:7337" {
		t.Errorf("root LocalURL = %q", got)
	}
	if got := imgbb.Info().LocalURL("http://127.0.0.1:7337/"); got != "http://127.0.0.1:7337/imgbb" {
		t.Errorf("mounted LocalURL = %q", got)
	}
	defer func() {
		if recover() == nil {
			t.Fatal("a second root accepted")
		}
	}()
	hosts.NewRegistry(root, hosts.Info{Name: "other", Root: true, New: newTarget})
}

func TestRetryAfter(t *testing.T) {
	now := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	h := http.Header{}
	h.Set("Retry-After", "7")
	if hosts.RetryAfter(h, now) != 7*time.Second {
		t.Fatal("seconds form")
	}
	h.Set("Retry-After", now.Add(time.Minute).Format(http.TimeFormat))
	if hosts.RetryAfter(h, now) != time.Minute {
		t.Fatal("date form")
	}
}

func TestDescribeSaysWhatToDo(t *testing.T) {
	for _, c := range []struct {
		err  error
		want string
	}{
		{&hosts.Error{Target: "gyazo", Kind: hosts.KindAuth, Status: 401, Msg: "You are not authorized."},
			"gyazo: You are not authorized. (HTTP 401); check the key with `fsdeck key status --target gyazo`"},
		{&hosts.Error{Target: "gofile", Kind: hosts.KindRateLimit, Status: 429, Msg: "error-rateLimit", RetryAfter: 3 * time.Second},
			"gofile: error-rateLimit (HTTP 429); retry after 3s; the service asks fsdeck to slow down: try again later"},
		{fmt.Errorf("wrapped: %w", &hosts.Error{Target: "p", Kind: hosts.KindQuota, Msg: "m", Hint: "h"}), "p: h (m); try again later"},
		{errors.New("plain"), "plain"},
	} {
		if got := hosts.Describe(c.err); got != c.want {
			t.Errorf("hosts.Describe(%v) = %q, want %q", c.err, got, c.want)
		}
	}
}

// describedTarget words its own failures.
type describedTarget struct{ hosts.Target }

func (describedTarget) Describe(err error) string { return "in its words: " + err.Error() }

// DescribeFor uses a target's own wording where it has one, else
// Describe's.
func TestDescribeForUsesTheTargetsWords(t *testing.T) {
	err := &hosts.Error{Target: "imgbb", Kind: hosts.KindQuota, Msg: "m"}
	tg, _ := imgbb.Info().New(hosts.Config{Key: "k"})
	if got, want := hosts.DescribeFor(tg, err), hosts.Describe(err); got != want {
		t.Errorf("DescribeFor(imgbb) = %q, want %q", got, want)
	}
	if got := hosts.DescribeFor(describedTarget{tg}, err); got != "in its words: imgbb: m" {
		t.Errorf("DescribeFor(a Describer) = %q", got)
	}
	if got := hosts.DescribeFor(describedTarget{tg}, nil); got != "" {
		t.Errorf("DescribeFor(nil) = %q", got)
	}
}
