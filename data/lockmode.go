package data

// Holder modes of a store another process holds (LockedError.Holding).
const (
	HolderUnknown = "" // the system did not say (not Linux, or no /proc)
	HolderReading = "reading"
	HolderWriting = "writing"
)
