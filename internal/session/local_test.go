package session

import (
	"errors"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"
)

// A busy default port: another fsdeck server with the same data is reused;
// anything else makes the interface's local mode take a free port and say
// so (headless commands refuse: TestHeadlessRefusesBusyAddr).
func TestStartLocalWithBusyPort(t *testing.T) {
	dir := t.TempDir()
	first, err := StartLocal(dir, "127.0.0.1:0", false, false)
	if err != nil {
		t.Fatal(err)
	}
	defer first.stop()
	addr := strings.TrimPrefix(first.base, "http://")
	second, err := StartLocal(dir, addr, false, false)
	if err != nil {
		t.Fatal(err)
	}
	defer second.stop()
	if second.base != first.base || !strings.Contains(second.note, "already running") {
		t.Fatalf("not shared: %+v", second)
	}
	other, _ := net.Listen("tcp", "127.0.0.1:0")
	defer other.Close()
	third, err := StartLocal(t.TempDir(), other.Addr().String(), true, false)
	if err != nil {
		t.Fatal(err)
	}
	defer third.stop()
	if third.base == "http://"+other.Addr().String() || !strings.Contains(third.note, "is in use by") {
		t.Fatalf("busy port not avoided: %+v", third)
	}
	// The interface says its URLs move with the port, and how to choose
	// an address that stays.
	for _, w := range []string{other.Addr().String() + " is in use by", strings.TrimPrefix(third.base, "http://"), "URLs shown change this session", "stop working when fsdeck exits", "--addr", "[local] addr"} {
		if !strings.Contains(third.note, w) {
			t.Errorf("note lacks %q: %s", w, third.note)
		}
	}
	creds, _ := LoadOrCreateCreds(dir)
	again, _ := LoadOrCreateCreds(dir)
	if creds != again || len(creds.APIKey) != 22 {
		t.Fatal("local credentials are not stable")
	}
}

// TestLocalServerTakeover: a process using another's local server (same
// data, same address) serves the address itself once that one stops, so
// its requests carry on after their retries.
func TestLocalServerTakeover(t *testing.T) {
	dir, addr := t.TempDir(), freeAddr(t)
	first, err := StartLocal(dir, addr, false, false)
	if err != nil {
		t.Fatal(err)
	}
	defer first.stop()
	second, err := StartLocal(dir, addr, false, false)
	if err != nil {
		t.Fatal(err)
	}
	defer second.stop()
	if !first.serving() || second.serving() || second.base != first.base {
		t.Fatalf("first serving %v, second serving %v (%s, %s)", first.serving(), second.serving(), first.base, second.base)
	}
	if !first.othersUse() {
		t.Error("the serving process does not see the other using its server")
	}
	first.stop()
	for deadline := time.Now().Add(30 * time.Second); !second.serving(); time.Sleep(10 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatal("the address was not taken over")
		}
	}
	if p := probeAddr(addr, second.creds); p.kind != probeOurs {
		t.Fatalf("after the takeover %s answers %+v", addr, p)
	}
	third, err := StartLocal(dir, addr, false, false)
	if err != nil {
		t.Fatal(err)
	}
	defer third.stop()
	if third.serving() || !second.othersUse() {
		t.Fatalf("a later process does not share the new server (serving %v)", third.serving())
	}
}

// An address whose lock fsdeck serve of this data directory holds, but
// which does not answer local mode's plain requests (--tls, another key),
// is refused naming it as such, not as some other program.
func TestBusyAddrHeldByServeOfThisData(t *testing.T) {
	dir := t.TempDir()
	tlsSrv := httptest.NewTLSServer(http.NotFoundHandler())
	defer tlsSrv.Close()
	addr := tlsSrv.Listener.Addr().String()
	lk := AddrLock(dir, addr)
	if ok, err := lk.TryLock(); !ok || err != nil {
		t.Fatalf("lock: %v %v", ok, err)
	}
	defer lk.Unlock()
	_, err := StartLocal(dir, addr, false, false)
	var busy *busyAddrError
	if !errors.As(err, &busy) || !strings.Contains(err.Error(), addr+" is in use by") || !strings.Contains(err.Error(), "fsdeck serve of this data directory") {
		t.Fatalf("got %v", err)
	}
}

// freeAddr is a loopback address nothing listens on (for now).
func freeAddr(t testing.TB) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	return addr
}
