package emulator

import (
	"crypto/hmac"
	"net/http"
	"regexp"

	"github.com/fsdeck/fsdeck/filestack/security"
	"github.com/fsdeck/fsdeck/filestack/transform"
)

// access describes what a request is about to do, for the policy check.
type access struct {
	call      string
	handle    string
	size      int64 // -1 when unknown
	path      string
	container string
	url       string
	// source marks the check of a file or URL the request reads: the
	// policy's path and container are checked where the request stores
	// (with the path it stores at), not against what it reads.
	source bool
}

// authorize decides whether a request may proceed. required says whether
// this operation needs a policy at all (delete and overwrite always do;
// the rest only with SecurityRequired). A policy that is present is always
// checked, even where none is required, as Filestack does.
func (s *Server) authorize(policy, signature string, required bool, a access) error {
	if policy == "" && signature == "" {
		if required {
			return errorf(http.StatusForbidden, "Policy required")
		}
		return nil
	}
	if s.opts.AppSecret == "" {
		return errorf(http.StatusForbidden, "Invalid policy: security is not enabled for this application")
	}
	if policy == "" || signature == "" {
		return errorf(http.StatusForbidden, "Policy required: both policy and signature must be given")
	}
	if !security.Verify(s.opts.AppSecret, policy, signature) {
		return errorf(http.StatusForbidden, "Invalid signature: it does not match the policy")
	}
	pol, err := security.Decode(policy)
	if err != nil {
		return errorf(http.StatusForbidden, "%s", err.Error())
	}
	return s.checkPolicy(pol, a)
}

// authorizeSource checks a request's credentials against one file or URL
// it reads, for every call the request needs: the same check for a
// processing chain's source, a fallback, a watermark or any other file a
// task names, and for every URL fetched on the caller's behalf (a
// processing source, store-from-URL in any body shape, an overwrite from
// a URL), whose policy `url` it checks. With no calls recorded it still
// checks read, so a forgotten call list fails closed.
func (s *Server) authorizeSource(cr creds, src string) error {
	if cr.secret {
		return nil
	}
	a := access{handle: src, size: -1, source: true}
	if transform.IsExternal(src) {
		a = access{url: src, size: -1, source: true}
	}
	calls := cr.calls
	if len(calls) == 0 {
		calls = []string{"read"}
	}
	for _, call := range calls {
		a.call = call
		if err := s.authorize(cr.policy, cr.signature, s.opts.SecurityRequired, a); err != nil {
			return err
		}
	}
	return nil
}

// isAuthError reports a refusal by key or policy, which a fallback must
// not turn into a success.
func isAuthError(err error) bool {
	ae, ok := err.(*apiError)
	return ok && (ae.status == http.StatusUnauthorized || ae.status == http.StatusForbidden)
}

func (s *Server) checkPolicy(pol security.Policy, a access) error {
	if s.opts.Now().Unix() >= pol.Expiry {
		return errorf(http.StatusForbidden, "Policy expired")
	}
	if !pol.Allows(a.call) {
		return errorf(http.StatusForbidden, "Policy does not allow the `%s` call", a.call)
	}
	if pol.Handle != "" && a.handle != "" && pol.Handle != a.handle {
		return errorf(http.StatusForbidden, "Policy does not allow access to this handle")
	}
	if a.size >= 0 && pol.MaxSize > 0 && a.size > pol.MaxSize {
		return errorf(http.StatusForbidden, "File size %d exceeds the policy maxSize %d", a.size, pol.MaxSize)
	}
	if a.size >= 0 && pol.MinSize > 0 && a.size < pol.MinSize {
		return errorf(http.StatusForbidden, "File size %d is below the policy minSize %d", a.size, pol.MinSize)
	}
	storing := (a.call == "pick" || a.call == "store") && !a.source
	checks := []struct {
		re, val, name string
		applies       bool
	}{
		{pol.Path, a.path, "path", storing}, {pol.Container, a.container, "container", storing},
		{pol.URL, a.url, "url", a.url != ""},
	}
	for _, c := range checks {
		if c.re == "" || !c.applies {
			continue
		}
		re, err := regexp.Compile(c.re)
		if err != nil {
			return errorf(http.StatusForbidden, "invalid security policy %s: bad regular expression", c.name)
		}
		if !re.MatchString(c.val) {
			return errorf(http.StatusForbidden, "invalid security policy %s", c.name)
		}
	}
	return nil
}

// credentials collects policy and signature from the query, the basic-auth
// form (user "app", password = secret, which grants everything) or a form body.
func (s *Server) credentials(r *http.Request) (policy, signature string, secretAuth bool) {
	q := r.URL.Query()
	policy, signature = q.Get("policy"), q.Get("signature")
	if user, pass, ok := r.BasicAuth(); ok && user == "app" && s.opts.AppSecret != "" &&
		hmac.Equal([]byte(pass), []byte(s.opts.AppSecret)) {
		secretAuth = true
	}
	return policy, signature, secretAuth
}

// checkQueryKey refuses a ?key= that is present and not accepted, also on
// routes that need no key: a wrong key is never silently ignored.
func (s *Server) checkQueryKey(r *http.Request) error {
	if r.URL.RawQuery == "" {
		return nil // the common CDN GET: nothing to parse
	}
	if k := r.URL.Query().Get("key"); k != "" && !s.keyAccepted(k) {
		return errorf(http.StatusUnauthorized, "Invalid API key")
	}
	return nil
}

// keyAccepted reports whether an API key is one the server was given.
func (s *Server) keyAccepted(key string) bool {
	for _, k := range s.opts.APIKeys {
		if hmac.Equal([]byte(k), []byte(key)) {
			return true
		}
	}
	return false
}
