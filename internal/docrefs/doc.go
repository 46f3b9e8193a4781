// Package docrefs holds only a test: it finds every place the code, the
// examples and the docs send a reader to a doc page (docs/model.md, Prices;
// docs/forecast.md, "The file"; docs/model.md ("Prices");
// docs/forecast.md#the-file; docs/sweeps.md's Damaged stores section, or
// in prose its damaged stores section; a Markdown link to a page's anchor,
// or to a heading of the page it is on) and fails when the page is missing
// or names no such section, so renaming a heading cannot leave help text
// and comments pointing nowhere. A bold lead names a part of a section,
// which a reference may cite by name but not as a section.
package docrefs
