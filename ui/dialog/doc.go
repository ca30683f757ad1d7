// Package dialog holds the dialogs the root opens itself: the help
// screen (?), the API key dialogs (K, the welcome), the target switcher
// (T) and the quit confirmation. Their answers reach the root as
// messages (KeyEnteredMsg, KeySavedMsg, TargetKeySavedMsg,
// SwitchTargetMsg); the dialogs change nothing themselves.
//
// It imports ui/uikit and service packages only; never ui or a
// component package.
package dialog
