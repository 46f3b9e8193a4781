package model

import (
	"reflect"
	"strconv"
	"strings"

	"github.com/goccy/go-yaml/lexer"
	"github.com/goccy/go-yaml/token"
)

// literalText is the YAML text a --set value is decoded from: the value
// itself, except where o's field is text (a plain Go string: a name, a
// description) and YAML would read part of the value as a comment, a '#'
// at its start or after a space. The decoder drops a comment without a
// word, so description='a #b' set "a" and name='#1 run' reset the name
// to null; such a value is taken literally, as typed less the spaces
// around it (which YAML drops from a plain value too), and quoted. A
// value for any other field is read as YAML as before: a comment after a
// number or a list drops nothing the field could hold. A value already
// quoted keeps its quotes' meaning: only a comment outside them is read
// as text ("'a' #b" sets the text 'a' #b, quotes and all).
func literalText(o Override) string {
	text := strings.TrimSpace(o.Value)
	if !strings.Contains(text, "#") || PathType(o.Path) != reflect.TypeFor[string]() || !holdsComment(text) {
		return o.Value
	}
	if strings.Contains(text, "\t") {
		return o.Value // a tab inside plain text is refused, saying how to quote it (plainTabValue)
	}
	return quoteYAMLText(text)
}

// holdsComment says whether YAML reads a comment in text.
func holdsComment(text string) bool {
	for _, t := range lexer.Tokenize(text) {
		if t.Type == token.CommentType {
			return true
		}
	}
	return false
}

// quoteYAMLText is s as a YAML double-quoted scalar: Go's escapes (\t,
// \n, \", \\, \uXXXX) are YAML's too (1.2, 5.7).
func quoteYAMLText(s string) string { return strconv.Quote(s) }
