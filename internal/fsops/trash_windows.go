//go:build windows

package fsops

import (
	"fmt"
	"syscall"
	"unsafe"
)

// shFileOpStruct is SHFILEOPSTRUCTW (natural alignment, as on 64-bit
// Windows).
type shFileOpStruct struct {
	hwnd                  uintptr
	wFunc                 uint32
	pFrom                 *uint16
	pTo                   *uint16
	fFlags                uint16
	fAnyOperationsAborted int32
	hNameMappings         uintptr
	lpszProgressTitle     *uint16
}

// put sends the item to the Recycle Bin through the shell
// (SHFileOperationW with FOF_ALLOWUNDO, no dialogs). Where the shell put
// it is not reported, so fsdeck cannot undo it: the Recycle Bin's
// "Restore" can.
func (t Trash) put(abs string) (Trashed, error) {
	const (
		foDelete          = 0x3
		fofSilent         = 0x4
		fofNoConfirmation = 0x10
		fofAllowUndo      = 0x40
		fofNoErrorUI      = 0x400
	)
	from, err := syscall.UTF16FromString(abs)
	if err != nil {
		return Trashed{}, err
	}
	from = append(from, 0) // the list ends with a second NUL
	op := shFileOpStruct{wFunc: foDelete, pFrom: &from[0], fFlags: fofSilent | fofNoConfirmation | fofAllowUndo | fofNoErrorUI}
	proc := syscall.NewLazyDLL("shell32.dll").NewProc("SHFileOperationW")
	r, _, _ := proc.Call(uintptr(unsafe.Pointer(&op)))
	if r != 0 {
		return Trashed{}, fmt.Errorf("the Recycle Bin refused it (code %#x)", r)
	}
	if op.fAnyOperationsAborted != 0 {
		return Trashed{}, fmt.Errorf("moving it to the Recycle Bin was aborted")
	}
	return Trashed{Original: abs}, nil
}

func deviceOf(string) (uint64, error) { return 0, nil }
