package data

import "flag"

var update = flag.Bool("update", false, "rewrite docs/schema.md from the schema")
