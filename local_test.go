package main

import (
	"net"
	"strings"
	"testing"
)

// A busy default port: another fsdeck server with the same data is reused;
// anything else makes local mode take a free port and say so.
func TestStartLocalWithBusyPort(t *testing.T) {
	dir := t.TempDir()
	first, err := startLocal(dir, "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer first.stop()
	addr := strings.TrimPrefix(first.base, "http://")
	second, err := startLocal(dir, addr)
	if err != nil {
		t.Fatal(err)
	}
	defer second.stop()
	if second.base != first.base || !strings.Contains(second.note, "already running") {
		t.Fatalf("not shared: %+v", second)
	}
	other, _ := net.Listen("tcp", "127.0.0.1:0")
	defer other.Close()
	third, err := startLocal(t.TempDir(), other.Addr().String())
	if err != nil {
		t.Fatal(err)
	}
	defer third.stop()
	if third.base == "http://"+other.Addr().String() || !strings.Contains(third.note, "is busy") {
		t.Fatalf("busy port not avoided: %+v", third)
	}
	creds, _ := loadOrCreateCreds(dir)
	again, _ := loadOrCreateCreds(dir)
	if creds != again || len(creds.APIKey) != 22 {
		t.Fatal("local credentials are not stable")
	}
}
